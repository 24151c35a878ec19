import type { Messages } from '../../lib/i18n/messages.ts';

/** an example a developer can copy: two districts and an index above 100 */
const EXAMPLE = JSON.stringify({
  and: [
    { field: 'district', op: 'in', values: ['西湖区', '上城区'] },
    { field: 'aqi', op: '>', value: 100 },
  ],
});

/**
 * 过滤条件的写法: the row-filter language of the `filter` parameter (schemas/json/exchange/
 * policy.schema.json, `$defs.expression`), which the operations' own descriptions only name.
 */
export function FilterSyntax({ t }: { t: Messages }) {
  const d = t.developer;
  return (
    <section id="filter" className="api-operation" aria-labelledby="filter-title">
      <h2 id="filter-title">{d.filterTitle}</h2>
      <p>{d.filterLead}</p>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="filter-title">
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{d.filterOperator}</th>
              <th scope="col">{d.filterMeaning}</th>
            </tr>
          </thead>
          <tbody>
            {d.filterOperators.map(([written, meaning]) => (
              <tr key={written}>
                <td>
                  <code>{written}</code>
                </td>
                <td>{meaning}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>{d.filterExample}</p>
      <pre>
        <code>{`filter=${EXAMPLE}\n\ncurl -G --data-urlencode 'filter=${EXAMPLE}' …`}</code>
      </pre>
    </section>
  );
}
