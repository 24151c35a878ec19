import { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { InputError } from '@gx/platform';

export interface ArchiveLimits {
  /** total bytes of all entries once decompressed */
  maxUncompressedBytes: number;
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxUncompressedBytes: 256 * 1024 * 1024,
  maxEntries: 10_000,
};

const NOT_XLSX =
  '文件不是有效的 Excel 工作簿（.xlsx）。如果是 .xls、.et、.csv 或加密的文件，请在 Excel 或 WPS 中另存为 .xlsx 后再导入';

function notXlsx(reason: string): InputError {
  return new InputError(NOT_XLSX, [{ path: '/body', message: reason }]);
}

/** Decompressed size of one deflated entry, stopping as soon as it exceeds `budget`. */
async function inflatedSize(data: Buffer, budget: number): Promise<number> {
  const inflate = createInflateRaw();
  let size = 0;
  const source = Readable.from([data]);
  source.pipe(inflate);
  try {
    for await (const chunk of inflate) {
      size += (chunk as Buffer).length;
      if (size > budget) break;
    }
  } catch {
    throw notXlsx('压缩数据已损坏');
  } finally {
    source.unpipe(inflate);
    inflate.destroy();
  }
  return size;
}

/**
 * Check that a body is a ZIP archive holding an Office Open XML workbook, and that it does not
 * expand beyond the limits (a few kilobytes of deflate can expand to gigabytes: a "zip bomb"
 * must be refused before the workbook reader writes it to memory or temporary files). Reads the
 * central directory and really inflates each entry with a byte budget, because the sizes an
 * archive declares can lie.
 */
export async function inspectArchive(
  file: Buffer,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<void> {
  if (file.length === 0) throw new InputError('文件为空', [{ path: '/body', message: '没有内容' }]);
  if (file.length < 22 || file.readUInt32LE(0) !== 0x04034b50) {
    throw notXlsx('不是 ZIP 格式（.xlsx 文件是 ZIP 压缩包）');
  }
  // end of central directory: the last 22 bytes, or earlier when the archive has a comment
  let eocd = -1;
  for (let i = file.length - 22; i >= Math.max(0, file.length - 22 - 0xffff); i -= 1) {
    if (file.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw notXlsx('ZIP 目录缺失，文件可能不完整');
  const entries = file.readUInt16LE(eocd + 10);
  const directoryOffset = file.readUInt32LE(eocd + 16);
  if (entries === 0xffff || directoryOffset === 0xffffffff) throw notXlsx('不支持 ZIP64 格式');
  if (entries > limits.maxEntries) throw notXlsx(`压缩包内文件过多（${entries} 个）`);

  const names = new Set<string>();
  let budget = limits.maxUncompressedBytes;
  let at = directoryOffset;
  for (let n = 0; n < entries; n += 1) {
    if (at + 46 > file.length || file.readUInt32LE(at) !== 0x02014b50) {
      throw notXlsx('ZIP 目录已损坏');
    }
    const flags = file.readUInt16LE(at + 8);
    const method = file.readUInt16LE(at + 10);
    const compressedSize = file.readUInt32LE(at + 20);
    const nameLength = file.readUInt16LE(at + 28);
    const extraLength = file.readUInt16LE(at + 30);
    const commentLength = file.readUInt16LE(at + 32);
    const localOffset = file.readUInt32LE(at + 42);
    const name = file.toString('utf8', at + 46, at + 46 + nameLength);
    at += 46 + nameLength + extraLength + commentLength;
    names.add(name);

    if (flags & 0x1) throw notXlsx('文件已加密');
    if (localOffset + 30 > file.length || file.readUInt32LE(localOffset) !== 0x04034b50) {
      throw notXlsx('ZIP 条目已损坏');
    }
    const dataStart =
      localOffset + 30 + file.readUInt16LE(localOffset + 26) + file.readUInt16LE(localOffset + 28);
    if (dataStart + compressedSize > file.length) throw notXlsx('ZIP 条目已损坏');
    const data = file.subarray(dataStart, dataStart + compressedSize);
    let size: number;
    if (method === 0) size = data.length;
    else if (method === 8) size = await inflatedSize(data, budget);
    else throw notXlsx(`不支持的压缩方式 ${method}`);
    budget -= size;
    if (budget < 0) {
      throw new InputError('工作簿解压后过大，请拆分成几个文件分别导入', [
        {
          path: '/body',
          message: `解压后超过 ${Math.round(limits.maxUncompressedBytes / 1024 / 1024)} MB`,
        },
      ]);
    }
  }
  if (!names.has('xl/workbook.xml')) throw notXlsx('压缩包中没有工作簿（xl/workbook.xml）');
}
