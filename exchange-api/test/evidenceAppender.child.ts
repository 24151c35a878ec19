// Test helper (not a test): appends evidence as fast as it can until killed, printing
// `ack <seq> <id> <hash>` for every append that resolved. evidenceLog.test.ts SIGKILLs it
// mid-flight and checks that every acknowledged entry survived and the chain is intact.
// argv: <database url> <concurrency>
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { EvidenceLog, requestHash } from '../src/domain/evidence/index.ts';

const [url, concurrencyArg] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: url, max: 4 });
const evidence = new EvidenceLog({ pool });
const concurrency = Number(concurrencyArg ?? 32);

async function worker() {
  for (;;) {
    const receipt = await evidence.append({
      actor: 'system:crash-test',
      actorKind: 'system',
      department: 'hz-rsj',
      operation: 'get',
      recordCount: 1,
      requestHash: requestHash({ method: 'GET', path: `/v1/records/${randomUUID()}` }),
    });
    process.stdout.write(`ack ${receipt.seq} ${receipt.entryId} ${receipt.hash}\n`);
  }
}

await Promise.all(Array.from({ length: concurrency }, worker));
