import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { cloudErrors } from '../errors.js';
import type { Storage } from './storage.js';

const corrupt = (file: string, err: unknown) => cloudErrors.CLOUD_ZIP_CORRUPT(`${file}: ${err instanceof Error ? err.message : String(err)}`);

/**
 * A zipped dump read with yauzl: the central directory once, then each entry streamed when asked for (nothing is
 * unpacked to disk, memory stays flat however big the dump). A damaged entry fails its stream with CLOUD_ZIP_CORRUPT.
 */
export async function openZip(file: string): Promise<Storage> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true }, (err, z) => (err || !z ? reject(corrupt(file, err)) : resolve(z))),
  );
  const entries = new Map<string, yauzl.Entry>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      if (!e.fileName.endsWith('/')) entries.set(e.fileName, e);
      zip.readEntry();
    });
    zip.on('end', () => resolve());
    zip.on('error', (err) => reject(corrupt(file, err)));
    zip.readEntry();
  }).catch((err) => {
    zip.close();
    throw err;
  });
  return {
    list: () => [...entries.keys()],
    open: (rel) =>
      new Promise<Readable>((resolve, reject) => {
        const entry = entries.get(rel);
        if (!entry) return reject(cloudErrors.CLOUD_NOT_A_DUMP(`${file}: no ${rel} inside`));
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(corrupt(file, err));
          // Errors of the inflater (a bad CRC, a cut-off entry) surface as the coded error.
          const original = stream.emit.bind(stream);
          stream.emit = ((event: string, ...args: unknown[]) => (event === 'error' ? original('error', corrupt(file, args[0])) : original(event, ...args))) as typeof stream.emit;
          resolve(stream);
        });
      }),
    close: async () => zip.close(),
  };
}
