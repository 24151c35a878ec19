// `npm run evidence:archive -- --checkpoint <file> --out <file>`: archive the evidence log
// (存证归档) up to a signed checkpoint (GET /v1/evidence/checkpoint's answer, or its JWS alone). The
// chain is verified first (it must be intact and hold the checkpoint); the entries after the
// last archive up to the checkpoint are written to <out> (JSON Lines), flushed, read back and
// checked; the archive is recorded (evidence_archives: its anchor, checksum, checkpoint) and
// only then are the entries it covers deleted. Keep the file where the auditors can reach it
// (write-once storage); `npm run evidence:verify -- --archive <file>` checks it without the
// database. Database: DATABASE_URL, or the embedded one under DATA_DIR.
// Exit status: 0 archived, 1 the chain is broken (nothing archived or deleted; the entry is
// named), 2 could not archive (bad arguments or configuration, <out> exists, a checkpoint that
// is not the platform's or not beyond the last archive).
import os from 'node:os';
import path from 'node:path';
import { InputError } from '@gx/platform';
import { archiveEvidence } from '../exchange-api/src/domain/evidence/index.ts';
import { VOLUME_DAYS } from '../exchange-api/src/domain/reports/exchangeReport.ts';
import { readCheckpointJws, withEvidenceDatabase } from './evidenceCommand.ts';

const EXIT_BROKEN = 1;
const EXIT_FAILED = 2;
const say = (line: string) => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`${line}\n`);

function parseArguments(args: readonly string[]): { checkpoint: string; out: string } {
  const given = new Map<string, string>();
  for (let i = 0; i < args.length; i += 2) {
    const flag = args[i]!;
    if (flag !== '--checkpoint' && flag !== '--out')
      throw new InputError(`未知参数 ${flag}（用法：--checkpoint <检查点文件> --out <归档文件>）`);
    const value = args[i + 1];
    if (!value) throw new InputError(`${flag} 后须跟文件`);
    if (given.has(flag)) throw new InputError(`${flag} 只能给一次`);
    given.set(flag, value);
  }
  const checkpoint = given.get('--checkpoint');
  const out = given.get('--out');
  if (!checkpoint || !out)
    throw new InputError(
      '用法：npm run evidence:archive -- --checkpoint <检查点文件> --out <归档文件>',
    );
  return { checkpoint, out: path.resolve(out) };
}

async function main(): Promise<number> {
  let files;
  let jws: string;
  try {
    files = parseArguments(process.argv.slice(2));
    jws = await readCheckpointJws(files.checkpoint);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    complain(error.message);
    return EXIT_FAILED;
  }
  return withEvidenceDatabase('evidence:archive', EXIT_FAILED, say, async (pool) => {
    const { rows } = await pool.query<{ role: string }>('SELECT current_user AS role');
    let result;
    try {
      result = await archiveEvidence({
        pool,
        checkpoint: jws,
        out: files.out,
        archivedBy: `${rows[0]!.role} (os user ${os.userInfo().username})`,
      });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      complain(error.message);
      return EXIT_FAILED;
    }
    if (!result.ok) {
      const broken = result.verification.ok ? undefined : result.verification.firstBroken;
      say(
        `nothing archived: the evidence chain is BROKEN at seq ${broken?.seq}` +
          `${broken?.id ? ` (id ${broken.id})` : ''}: ${broken?.problem}: ${broken?.reason}`,
      );
      return EXIT_BROKEN;
    }
    say(
      `archived entries ${result.fromSeq}–${result.throughSeq} (${result.entries}) to ${files.out}, ` +
        `sha256 ${result.sha256}; ${result.deleted} entries removed from the database`,
    );
    const ageDays = result.recordedAt
      ? (Date.now() - Date.parse(result.recordedAt)) / 86_400_000
      : Infinity;
    if (ageDays < VOLUME_DAYS) {
      say(
        `note: the last archived entry is ${ageDays.toFixed(1)} days old; the exchange report ` +
          `(the last ${VOLUME_DAYS} days) and the open-data usage ranking no longer count the archived entries`,
      );
    }
    return 0;
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    complain(`evidence:archive failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = EXIT_FAILED;
  },
);
