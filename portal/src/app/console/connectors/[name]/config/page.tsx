import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import {
  CONNECTOR_ERROR_ID,
  ConnectorConfigForm,
} from '../../../../../components/console/steward/ConnectorConfigForm.tsx';
import { FlashMessage } from '../../../../../components/console/FlashMessage.tsx';
import { ServiceUnavailable } from '../../../../../components/ServiceUnavailable.tsx';
import { whenAvailable } from '../../../../../lib/api/errors.ts';
import { carriedFormData, unsealForm } from '../../../../../lib/console/carriedForm.ts';
import { readFlash } from '../../../../../lib/console/flash.ts';
import { requireStaff } from '../../../../../lib/console/requireStaff.tsx';
import { CONNECTOR_NAME, configText } from '../../../../../lib/console/steward/connectorForm.ts';
import {
  connectorSchemas,
  withFieldTitles,
} from '../../../../../lib/console/steward/connectorFieldTitle.ts';
import {
  connectorConfig,
  listPlugins,
  reviewConnectorForm,
} from '../../../../../lib/console/steward/connectors.ts';
import { stewardText } from '../../../../../lib/i18n/console/steward.ts';
import { getPrefs } from '../../../../../lib/prefs.ts';
import '../../../resources/steward.css';

export const dynamic = 'force-dynamic';

export async function generateMetadata({
  params,
}: {
  params: Promise<{ name: string }>;
}): Promise<Metadata> {
  const [{ locale }, { name }] = await Promise.all([getPrefs(), params]);
  return { title: stewardText(locale).connectorEditTitle(decodeURIComponent(name)) };
}

/**
 * 修改配置: the connector's configuration as JSON (secret references, never values), 校验 and
 * 保存; a refusal comes back with what was typed and the API's problems by their fields' titles.
 */
export default async function ConnectorConfigPage({
  params,
  searchParams,
}: {
  params: Promise<{ name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ name: raw }, query] = await Promise.all([params, searchParams]);
  const name = decodeURIComponent(raw);
  if (!CONNECTOR_NAME.test(name)) notFound();
  const gate = await requireStaff(`/console/connectors/${name}/config`, 'connectors');
  if (!gate.ok) return gate.page;
  const { locale, t: site } = await getPrefs();
  const t = stewardText(locale);
  const token = gate.staff.accessToken;
  const loaded = await whenAvailable(async () => {
    const [config, flash, carried, plugins, schemas] = await Promise.all([
      connectorConfig(token, name),
      readFlash(query.flash),
      unsealForm('console-connector-form', query.form),
      listPlugins(token),
      connectorSchemas(),
    ]);
    // what was typed fills the form only for this connector
    const mine = carried && carried.name?.[0] === name ? carried : undefined;
    const reviewed = mine
      ? await reviewConnectorForm(token, carriedFormData(mine), flash?.kind === 'error')
      : undefined;
    return { config, flash, reviewed, plugins: plugins.ok ? plugins.data : [], schemas };
  });
  if (!loaded.ok) return <ServiceUnavailable t={site} />;
  const { config, flash, reviewed, plugins, schemas } = loaded.value;
  // a connector the steward may not manage is one they do not see
  if (!config.ok) notFound();
  // the options are named from the schema of the type typed (another than the saved one, maybe)
  const type = reviewed?.type || config.data.type;
  const optionsSchema = plugins.find((p) => p.type === type)?.optionsSchema;
  return (
    <>
      <p className="breadcrumb">
        <Link href="/console/connectors">{t.backToConnectors}</Link>
      </p>
      <h1>{t.connectorEditTitle(name)}</h1>
      <FlashMessage flash={flash} id={CONNECTOR_ERROR_ID} />
      <ConnectorConfigForm
        mode="edit"
        name={name}
        configText={reviewed ? reviewed.configText : configText(config.data)}
        problems={withFieldTitles(reviewed?.problems ?? [], optionsSchema, schemas, t.arrayItem)}
        refused={reviewed?.refused ?? []}
        t={t}
      />
    </>
  );
}
