// `npm run evidence:verify`: walk the evidence chain (存证链) and name the first broken entry.
// Database: DATABASE_URL, or the embedded one under DATA_DIR (scripts/evidenceCommand.ts).
// `--checkpoint <file>` (repeatable): a signed checkpoint an auditor kept (the JSON answer of
// GET /v1/evidence/checkpoint, or its `jws` alone); the chain must still hold its head, which
// finds a chain rewritten with recomputed hashes (docs/adr/0005-evidence-log.md).
// `--since <file>`: a signed checkpoint to walk on from (incremental): the chain must hold it,
// and only the entries after it are walked; a full walk (without it) still covers the rest.
// `--archive <file>` (repeatable, oldest first): check archive files written by
// `npm run evidence:archive` instead, without a database: each entry, the checkpoint's
// signature (with the keys the file carries), and that each file continues the one before.
// Exit status: 0 intact, 1 broken (the entry is named), 2 could not check (no database, no
// evidence tables, bad configuration, a checkpoint or archive that is unreadable or not the
// platform's).
import { InputError } from '@gx/platform';
import {
  openCheckpoint,
  readArchiveFile,
  readPublishedKeys,
  verifyArchive,
  verifyEvidenceChain,
  type BrokenEvidence,
  type CheckpointPayload,
  type ReceiptPublicJwk,
} from '../exchange-api/src/domain/evidence/index.ts';
import { readCheckpointJws, withEvidenceDatabase } from './evidenceCommand.ts';

const EXIT_BROKEN = 1;
const EXIT_UNCHECKED = 2;
const say = (line: string) => process.stdout.write(`${line}\n`);
const complain = (line: string) => process.stderr.write(`${line}\n`);
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

interface Files {
  /** `--checkpoint`, in order */
  checkpoints: string[];
  /** `--since` */
  since?: string;
  /** `--archive`, in order */
  archives: string[];
}

/** The files the flags name; throws `InputError` for a flag without a file or a bad mix. */
function parseArguments(args: readonly string[]): Files {
  const files: Files = { checkpoints: [], archives: [] };
  for (let i = 0; i < args.length; i += 1) {
    const flag = args[i];
    if (flag !== '--checkpoint' && flag !== '--since' && flag !== '--archive')
      throw new InputError(
        `未知参数 ${flag}（只接受 --checkpoint <文件>、--since <文件> 与 --archive <文件>）`,
      );
    const file = args[i + 1];
    if (!file) throw new InputError(`${flag} 后须跟文件`);
    if (flag === '--checkpoint') files.checkpoints.push(file);
    else if (flag === '--archive') files.archives.push(file);
    else if (files.since !== undefined) throw new InputError('--since 只能给一次');
    else files.since = file;
    i += 1;
  }
  if (files.archives.length > 0 && (files.checkpoints.length > 0 || files.since !== undefined))
    throw new InputError('--archive 单独使用（检查归档文件，不连数据库）');
  return files;
}

const describeBroken = (broken: BrokenEvidence) =>
  `BROKEN at seq ${broken.seq}${broken.id ? ` (id ${broken.id})` : ''}: ${broken.problem}: ${broken.reason}`;

/** `--archive`: each file on its own, and each continuing the one before it. */
async function checkArchives(files: readonly string[]): Promise<number> {
  let prevHash: string | undefined;
  for (const file of files) {
    const { lines, sha256, close } = readArchiveFile(file);
    let result;
    try {
      result = await verifyArchive(lines, { prevHash });
    } catch (error) {
      complain(`${file}: ${messageOf(error)}`);
      return EXIT_UNCHECKED;
    } finally {
      close();
    }
    const { header } = result;
    const range = `entries ${header.fromSeq}–${header.throughSeq}`;
    if (!result.ok) {
      say(`archive ${file} (${range}) ${describeBroken(result.firstBroken)}`);
      say(`${result.entries} entries before it are intact`);
      return EXIT_BROKEN;
    }
    say(
      `archive ${file} intact: ${range} (${result.entries}), through hash ${header.hash}, ` +
        `sha256 ${sha256()}`,
    );
    prevHash = header.hash;
  }
  return 0;
}

/** Read and check the checkpoint files against the database's keys; undefined (said) if one is bad. */
async function openCheckpointFiles(
  keys: () => Promise<ReceiptPublicJwk[]>,
  files: Files,
): Promise<{ checkpoints: CheckpointPayload[]; since?: CheckpointPayload } | undefined> {
  if (files.checkpoints.length === 0 && files.since === undefined) return { checkpoints: [] };
  const published = await keys();
  const open = async (file: string) => {
    let jws: string;
    try {
      jws = await readCheckpointJws(file);
    } catch (error) {
      // its message names the file already
      if (!(error instanceof InputError)) throw error;
      complain(error.message);
      return undefined;
    }
    try {
      return openCheckpoint(jws, published);
    } catch (error) {
      complain(`${file}: ${messageOf(error)}`);
      return undefined;
    }
  };
  const checkpoints: CheckpointPayload[] = [];
  for (const file of files.checkpoints) {
    const checkpoint = await open(file);
    if (!checkpoint) return undefined;
    checkpoints.push(checkpoint);
  }
  if (files.since === undefined) return { checkpoints };
  const since = await open(files.since);
  return since && { checkpoints, since };
}

async function main(): Promise<number> {
  let files: Files;
  try {
    files = parseArguments(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    complain(error.message);
    return EXIT_UNCHECKED;
  }
  if (files.archives.length > 0) return checkArchives(files.archives);
  return withEvidenceDatabase('evidence:verify', EXIT_UNCHECKED, say, async (pool) => {
    const opened = await openCheckpointFiles(() => readPublishedKeys(pool), files);
    if (!opened) return EXIT_UNCHECKED;
    const { checkpoints, since } = opened;
    const started = Date.now();
    const result = await verifyEvidenceChain(pool, { checkpoints, since });
    const held = (result.checkpoints ?? 0) > 0;
    const against = held ? `, holds ${result.checkpoints} signed checkpoint(s)` : '';
    const from = result.since ?? result.archived?.throughSeq;
    const walked =
      from === undefined
        ? ''
        : ` after seq ${from} (${result.since ? 'incremental, from --since' : 'entries before it are archived'})`;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    if (result.ok) {
      say(
        `evidence chain intact: ${result.entries} entries${walked}, head seq ${result.head.seq} ` +
          `hash ${result.head.hash}${against} (${seconds} s)`,
      );
      return 0;
    }
    say(`evidence chain ${describeBroken(result.firstBroken)}`);
    say(
      `${result.entries} entries${walked} before it are intact; chain head seq ${result.head.seq} (${seconds} s)`,
    );
    return EXIT_BROKEN;
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    complain(`evidence:verify failed: ${messageOf(error)}`);
    process.exitCode = EXIT_UNCHECKED;
  },
);
