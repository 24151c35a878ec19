import type { StewardText } from '../../i18n/console/steward.ts';

/**
 * The resource editor's state: what the form holds, all as the person typed it. The same
 * module runs in the browser (live validation) and on the server (the posted form becomes the
 * API's ResourceInput), so both read the form alike.
 */
export interface ItemState {
  name: string;
  label: string;
  dataType: string;
  maxLength: string;
  unit: string;
  dataGrade: string;
  isPersonal: boolean;
  isRequired: boolean;
  isKey: boolean;
  description: string;
}

export interface EditorState {
  name: string;
  abstract: string;
  themeCode: string;
  serviceCategory: string;
  format: string;
  sharingType: string;
  sharingConditions: string;
  sharingMethods: string[];
  sharingLegalBasis: string;
  openType: string;
  openConditions: string;
  updateCycle: string;
  dataGrade: string;
  sourceSystem: string;
  keywords: string;
  functionCode: string;
  /** 关联资源代码, as typed: codes separated like keywords */
  relatedResourceCodes: string;
  /**
   * 发布日期: the catalog sets it on first publication and keeps it. The editor shows it and
   * sends it back unchanged, since a save replaces the whole entry
   */
  publishDate: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  items: ItemState[];
}

// the directory's code lists, as the search facets already know them (one list, not two)
export { FORMATS, OPEN_TYPES, UPDATE_CYCLES } from '../../searchState.ts';
export const SHARING_TYPES = ['unconditional', 'conditional', 'none'] as const;
export const SHARING_METHODS = ['api', 'file', 'subscription'] as const;
export const GRADES = ['general', 'important', 'core'] as const;
export const DATA_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime'] as const;

export function emptyItem(): ItemState {
  return {
    name: '',
    label: '',
    dataType: 'string',
    maxLength: '',
    unit: '',
    dataGrade: 'general',
    isPersonal: false,
    isRequired: false,
    isKey: false,
    description: '',
  };
}

export function emptyEditorState(): EditorState {
  return {
    name: '',
    abstract: '',
    themeCode: '',
    serviceCategory: '',
    format: 'database',
    sharingType: 'conditional',
    sharingConditions: '',
    sharingMethods: ['api'],
    sharingLegalBasis: '',
    openType: 'none',
    openConditions: '',
    updateCycle: 'monthly',
    dataGrade: '',
    sourceSystem: '',
    keywords: '',
    functionCode: '',
    relatedResourceCodes: '',
    publishDate: '',
    contactName: '',
    contactPhone: '',
    contactEmail: '',
    items: [emptyItem()],
  };
}

/** A saved entry as the editor opens it. */
export function editorStateOf(resource: {
  name: string;
  abstract: string;
  theme: { code: string };
  serviceCategory?: string | null;
  format: string;
  sharingType: string;
  sharingConditions?: string | null;
  sharingMethods?: string[];
  sharingLegalBasis?: string | null;
  openType: string;
  openConditions?: string | null;
  updateCycle: string;
  dataGrade?: string;
  sourceSystem?: string | null;
  keywords?: string[];
  function?: { code: string } | null;
  relatedResourceCodes?: string[];
  publishDate?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  contactEmail?: string | null;
  items: {
    name: string;
    label: string;
    dataType: string;
    maxLength?: number | null;
    unit?: string | null;
    dataGrade: string;
    isPersonal: boolean;
    isRequired: boolean;
    isKey: boolean;
    description?: string | null;
  }[];
}): EditorState {
  return {
    name: resource.name,
    abstract: resource.abstract,
    themeCode: resource.theme.code,
    serviceCategory: resource.serviceCategory ?? '',
    format: resource.format,
    sharingType: resource.sharingType,
    sharingConditions: resource.sharingConditions ?? '',
    sharingMethods: resource.sharingMethods ?? [],
    sharingLegalBasis: resource.sharingLegalBasis ?? '',
    openType: resource.openType,
    openConditions: resource.openConditions ?? '',
    updateCycle: resource.updateCycle,
    dataGrade: resource.dataGrade ?? '',
    sourceSystem: resource.sourceSystem ?? '',
    keywords: (resource.keywords ?? []).join('，'),
    functionCode: resource.function?.code ?? '',
    relatedResourceCodes: (resource.relatedResourceCodes ?? []).join('，'),
    publishDate: resource.publishDate ?? '',
    contactName: resource.contactName ?? '',
    contactPhone: resource.contactPhone ?? '',
    contactEmail: resource.contactEmail ?? '',
    items: resource.items.map((i) => ({
      name: i.name,
      label: i.label,
      dataType: i.dataType,
      maxLength: i.maxLength ? String(i.maxLength) : '',
      unit: i.unit ?? '',
      dataGrade: i.dataGrade,
      isPersonal: i.isPersonal,
      isRequired: i.isRequired,
      isKey: i.isKey,
      description: i.description ?? '',
    })),
  };
}

/** The form control name of an item's field (`item-3-label`): rows keep their order. */
export function itemField(index: number, key: keyof ItemState): string {
  return `item-${index}-${key}`;
}

const MAX_ITEMS = 500;

/** The posted editor form as EditorState (server side; the browser posts the same names). */
export function editorStateFromForm(form: FormData): EditorState {
  const text = (name: string) => {
    const v = form.get(name);
    return typeof v === 'string' ? v.trim() : '';
  };
  const items: ItemState[] = [];
  for (let i = 0; i < MAX_ITEMS && form.has(itemField(i, 'name')); i++) {
    items.push({
      name: text(itemField(i, 'name')),
      label: text(itemField(i, 'label')),
      dataType: text(itemField(i, 'dataType')),
      maxLength: text(itemField(i, 'maxLength')),
      unit: text(itemField(i, 'unit')),
      dataGrade: text(itemField(i, 'dataGrade')),
      isPersonal: form.get(itemField(i, 'isPersonal')) === 'on',
      isRequired: form.get(itemField(i, 'isRequired')) === 'on',
      isKey: form.get(itemField(i, 'isKey')) === 'on',
      description: text(itemField(i, 'description')),
    });
  }
  return {
    name: text('name'),
    abstract: text('abstract'),
    themeCode: text('themeCode'),
    serviceCategory: text('serviceCategory'),
    format: text('format'),
    sharingType: text('sharingType'),
    sharingConditions: text('sharingConditions'),
    sharingMethods: form.getAll('sharingMethods').filter((v): v is string => typeof v === 'string'),
    sharingLegalBasis: text('sharingLegalBasis'),
    openType: text('openType'),
    openConditions: text('openConditions'),
    updateCycle: text('updateCycle'),
    dataGrade: text('dataGrade'),
    sourceSystem: text('sourceSystem'),
    keywords: text('keywords'),
    functionCode: text('functionCode'),
    relatedResourceCodes: text('relatedResourceCodes'),
    publishDate: text('publishDate'),
    contactName: text('contactName'),
    contactPhone: text('contactPhone'),
    contactEmail: text('contactEmail'),
    items,
  };
}

/** Keywords and related codes: separated by commas, 、, semicolons or spaces; no repeats. */
function splitList(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[,，、;；\s]+/u)
        .map((k) => k.trim())
        .filter(Boolean),
    ),
  ];
}

const orNull = (v: string) => (v.trim() ? v.trim() : null);

/**
 * EditorState as the catalog's ResourceInput (resource-input.schema.json): blanks of optional
 * texts become null, keywords a list, the item flags booleans. The API checks it again.
 */
export function toResourceInput(state: EditorState): Record<string, unknown> {
  return {
    name: state.name.trim(),
    abstract: state.abstract.trim(),
    themeCode: state.themeCode,
    serviceCategory: orNull(state.serviceCategory),
    format: state.format,
    sharingType: state.sharingType,
    sharingConditions: orNull(state.sharingConditions),
    sharingMethods: state.sharingMethods,
    sharingLegalBasis: orNull(state.sharingLegalBasis),
    openType: state.openType,
    openConditions: orNull(state.openConditions),
    updateCycle: state.updateCycle,
    ...(state.dataGrade ? { dataGrade: state.dataGrade } : {}),
    sourceSystem: orNull(state.sourceSystem),
    keywords: splitList(state.keywords),
    functionCode: orNull(state.functionCode),
    relatedResourceCodes: splitList(state.relatedResourceCodes),
    publishDate: orNull(state.publishDate),
    contactName: orNull(state.contactName),
    contactPhone: orNull(state.contactPhone),
    contactEmail: orNull(state.contactEmail),
    items: state.items.map((i) => ({
      name: i.name.trim(),
      label: i.label.trim(),
      dataType: i.dataType,
      maxLength: /^[0-9]+$/.test(i.maxLength) ? Number(i.maxLength) : null,
      unit: orNull(i.unit),
      dataGrade: i.dataGrade || 'general',
      isPersonal: i.isPersonal,
      isRequired: i.isRequired,
      isKey: i.isKey,
      description: orNull(i.description),
    })),
  };
}

/** One thing to fix: the control's name (as in the form) and the Chinese message. */
export interface EditorProblem {
  field: string;
  message: string;
}

const ITEM_NAME = /^[a-z][a-z0-9_]{0,63}$/;
const RESOURCE_CODE = /^[1-3][0-9]{8}-[0-9A-Z]{9}-[0-9]{6}$/;
const PHONE = /^[0-9+() -]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The checks of resource-input.schema.json (required, lengths, patterns, enums) and the rule
 * that 不予共享 cites its legal basis, in the words of the form. The browser runs them as the
 * person types; the catalog remains the judge.
 */
export function validateEditorState(state: EditorState, t: StewardText): EditorProblem[] {
  const problems: EditorProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const length = (field: string, value: string, min: number, max: number, required: boolean) => {
    const n = [...value.trim()].length;
    if (n === 0) {
      if (required) add(field, t.required);
    } else if (n < min) add(field, t.tooShort(min));
    else if (n > max) add(field, t.tooLong(max));
  };
  length('name', state.name, 2, 200, true);
  length('abstract', state.abstract, 2, 4000, true);
  if (!state.themeCode) add('themeCode', t.required);
  length('serviceCategory', state.serviceCategory, 0, 100, false);
  length('sharingConditions', state.sharingConditions, 0, 2000, false);
  length('sharingLegalBasis', state.sharingLegalBasis, 0, 2000, false);
  if (state.sharingType === 'none' && !state.sharingLegalBasis.trim())
    add('sharingLegalBasis', t.legalBasisNeeded);
  if (state.sharingType === 'conditional' && !state.sharingConditions.trim())
    add('sharingConditions', t.conditionsNeeded);
  if (state.sharingType !== 'none' && state.sharingMethods.length === 0)
    add('sharingMethods', t.methodsNeeded);
  if (state.sharingType === 'none' && state.sharingMethods.length > 0)
    add('sharingMethods', t.noMethodsWhenNone);
  length('openConditions', state.openConditions, 0, 2000, false);
  if (state.openType === 'conditional' && !state.openConditions.trim())
    add('openConditions', t.openConditionsNeeded);
  length('sourceSystem', state.sourceSystem, 0, 200, false);
  const keywords = splitList(state.keywords);
  if (keywords.length > 30) add('keywords', t.tooManyKeywords);
  else if (keywords.some((k) => [...k].length > 50)) add('keywords', t.tooLong(50));
  const related = splitList(state.relatedResourceCodes);
  if (related.length > 50) add('relatedResourceCodes', t.tooManyRelated);
  else if (related.some((c) => !RESOURCE_CODE.test(c)))
    add('relatedResourceCodes', t.badRelatedCode);
  length('contactName', state.contactName, 0, 100, false);
  length('contactPhone', state.contactPhone, 0, 40, false);
  if (!PHONE.test(state.contactPhone.trim())) add('contactPhone', t.badPhone);
  if (state.contactEmail.trim() && !EMAIL.test(state.contactEmail.trim()))
    add('contactEmail', t.badEmail);
  if (state.items.length === 0) add('items', t.atLeastOneItem);
  const seen = new Set<string>();
  state.items.forEach((item, i) => {
    const name = item.name.trim();
    if (!name) add(itemField(i, 'name'), t.required);
    else if (!ITEM_NAME.test(name)) add(itemField(i, 'name'), t.badItemName);
    else if (seen.has(name)) add(itemField(i, 'name'), t.duplicateItem);
    seen.add(name);
    length(itemField(i, 'label'), item.label, 1, 100, true);
    length(itemField(i, 'unit'), item.unit, 0, 32, false);
    length(itemField(i, 'description'), item.description, 0, 1000, false);
    const max = item.maxLength.trim();
    if (max && (!/^[0-9]+$/.test(max) || Number(max) < 1 || Number(max) > 100000))
      add(itemField(i, 'maxLength'), t.badMaxLength);
    else if (max && item.dataType !== 'string')
      add(itemField(i, 'maxLength'), t.maxLengthStringOnly);
    if (item.isKey && item.dataType !== 'string' && item.dataType !== 'integer')
      add(itemField(i, 'isKey'), t.keyType);
  });
  return problems;
}
