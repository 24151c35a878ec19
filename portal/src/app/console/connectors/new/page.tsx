import type { Metadata } from 'next';
import Link from 'next/link';
import {
  CONNECTOR_ERROR_ID,
  ConnectorConfigForm,
} from '../../../../components/console/steward/ConnectorConfigForm.tsx';
import { FlashMessage } from '../../../../components/console/FlashMessage.tsx';
import { ServiceUnavailable } from '../../../../components/ServiceUnavailable.tsx';
import { whenAvailable } from '../../../../lib/api/errors.ts';
import { carriedFormData, unsealForm } from '../../../../lib/console/carriedForm.ts';
import { readFlash } from '../../../../lib/console/flash.ts';
import { requireStaff } from '../../../../lib/console/requireStaff.tsx';
import {
  configSkeleton,
  configText,
  PLUGIN_TYPE,
} from '../../../../lib/console/steward/connectorForm.ts';
import {
  connectorSchemas,
  withFieldTitles,
} from '../../../../lib/console/steward/connectorFieldTitle.ts';
import { listPlugins, reviewConnectorForm } from '../../../../lib/console/steward/connectors.ts';
import { stewardText } from '../../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../../lib/prefs.ts';
import { queryParam } from '../../../../lib/queryParam.ts';
import '../../resources/steward.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata(): Promise<Metadata> {
  const { locale } = await getPrefs();
  return { title: stewardText(locale).newConnector };
}

/**
 * 新建连接器, in two steps on one page: choose the plugin type from the connectors API's list,
 * then (`?type=`) a name and the configuration as JSON, pre-filled with a skeleton from the
 * plugin's options schema for the steward's department. 校验 and a refused 创建 come back here
 * with what was typed (`?form=`, sealed) and the API's problems listed by their fields' titles
 * (from the envelope's and the plugin's schemas).
 */
export default async function NewConnectorPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const type = queryParam(params.type) ?? '';
  const gate = await requireStaff(
    PLUGIN_TYPE.test(type)
      ? `/console/connectors/new?type=${encodeURIComponent(type)}`
      : '/console/connectors/new',
    'connectors',
  );
  if (!gate.ok) return gate.page;
  const { locale, t: site } = await getPrefs();
  const t = stewardText(locale);
  const token = gate.staff.accessToken;
  const loaded = await whenAvailable(async () => {
    const [plugins, flash, carried, schemas] = await Promise.all([
      listPlugins(token),
      readFlash(params.flash),
      unsealForm('console-connector-form', params.form),
      connectorSchemas(),
    ]);
    const reviewed = carried
      ? await reviewConnectorForm(token, carriedFormData(carried), flash?.kind === 'error')
      : undefined;
    return { plugins: plugins.ok ? plugins.data : undefined, flash, reviewed, schemas };
  });
  if (!loaded.ok) return <ServiceUnavailable t={site} />;
  const { plugins, flash, reviewed, schemas } = loaded.value;
  const plugin = plugins?.find((p) => p.type === type);
  const back = (
    <p className="breadcrumb">
      <Link href="/console/connectors">{t.backToConnectors}</Link>
    </p>
  );
  const head = (
    <>
      {back}
      <h1>{t.newConnector}</h1>
      <p className="lead">{t.newConnectorLead}</p>
      <FlashMessage flash={flash} id={CONNECTOR_ERROR_ID} />
    </>
  );
  if (!plugins)
    return (
      <>
        {head}
        <p className="notice notice-error" role="alert">
          {t.noPlugins}
        </p>
      </>
    );
  if (!plugin) {
    return (
      <>
        {head}
        {type ? (
          <p className="notice notice-error" role="alert">
            {t.unknownPlugin}
          </p>
        ) : null}
        <form method="get" action="/console/connectors/new" className="console-form">
          <fieldset>
            <legend>{t.pluginLegend}</legend>
            <ul className="steward-choices">
              {plugins.map((p, i) => (
                <li key={p.type}>
                  <label>
                    <input
                      type="radio"
                      name="type"
                      value={p.type}
                      required
                      defaultChecked={i === 0}
                    />
                    {t.pluginOption(p.title, t.connectorKind[p.kind] ?? p.kind, p.type)}
                  </label>
                </li>
              ))}
            </ul>
          </fieldset>
          <p className="inline-actions">
            <button type="submit" className="button primary">
              {t.choosePlugin}
            </button>
          </p>
        </form>
      </>
    );
  }
  const skeleton = configText(configSkeleton(plugin, gate.staff.departmentCode ?? ''));
  return (
    <>
      {head}
      <section aria-labelledby="chosen-plugin">
        <h2 id="chosen-plugin">
          {t.pluginOption(plugin.title, t.connectorKind[plugin.kind] ?? plugin.kind, plugin.type)}
        </h2>
        <p>
          <Link href="/console/connectors/new">{t.otherPlugin}</Link>
        </p>
      </section>
      <ConnectorConfigForm
        mode="new"
        type={plugin.type}
        name={reviewed?.name ?? ''}
        configText={reviewed ? reviewed.configText : skeleton}
        problems={withFieldTitles(
          reviewed?.problems ?? [],
          // the options are the typed configuration's plugin's, should it name another type
          (plugins?.find((p) => p.type === reviewed?.type) ?? plugin).optionsSchema,
          schemas,
          t.arrayItem,
        )}
        refused={reviewed?.refused ?? []}
        t={t}
      />
    </>
  );
}
