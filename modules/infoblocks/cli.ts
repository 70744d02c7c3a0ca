import { createReadStream, createWriteStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { ModuleCliTools } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { addSweepCommand } from './cli-sweep.js';
import { ibErrors } from './errors.js';

// The exchange code (XML and CSV parsers) loads when a command runs, not with every `portal` call or web node.
const exchange = {
  exportCsv: async () => (await import('./exchange/export-csv.js')).exportElementsCsv,
  exportXml: async () => (await import('./exchange/export-xml.js')).exportIblockXml,
  importCsv: async () => (await import('./exchange/import-csv.js')).importElementsCsv,
  importXml: async () => (await import('./exchange/import-xml.js')).importIblockXml,
};

/** The CLI acts for the system administrator, like the installer. */
const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

type Format = 'xml' | 'csv';
const formatOption = () => new Option('--format <format>', 'xml (whole infoblock) or csv (its elements)').choices(['xml', 'csv']);
const formatOf = (flag: string | undefined, file: string | undefined): Format => (flag as Format | undefined) ?? (file?.toLowerCase().endsWith('.csv') ? 'csv' : 'xml');

/** Progress on a terminal only: one line rewritten in place on stderr. */
const progressLine = (enabled: boolean) => (enabled ? (text: string) => void process.stderr.write(`\r  ${text}   `) : undefined);

/** `portal infoblocks export|import|sweep-files`. */
export function infoblocksCli(tools: ModuleCliTools): Command[] {
  const cmd = new Command('infoblocks').description('infoblocks: XML and CSV export and import, file clean-up');

  cmd
    .command('export <code>')
    .description('write one infoblock as XML (properties, sections, elements, files) or its elements as CSV, to stdout or --out')
    .addOption(formatOption())
    .option('--out <file>', 'write to this file instead of stdout')
    .option('--files-dir <dir>', 'CSV: folder to copy files to (default: the folder of --out)')
    .action(async (code: string, flags: { format?: string; out?: string; filesDir?: string }) => {
      if (formatOf(flags.format, flags.out) === 'xml') {
        const exportIblockXml = await exchange.exportXml();
        const xml = await tools.withKernel((kernel) => exportIblockXml(kernel, SYSTEM, code));
        if (flags.out) writeFileSync(flags.out, xml);
        else process.stdout.write(xml);
        return;
      }
      const show = progressLine(process.stderr.isTTY && Boolean(flags.out));
      const filesDir = flags.filesDir ?? (flags.out ? path.dirname(path.resolve(flags.out)) : undefined);
      const exportElementsCsv = await exchange.exportCsv();
      const report = await tools.withKernel((kernel) =>
        exportElementsCsv(kernel, SYSTEM, code, flags.out ? createWriteStream(flags.out) : process.stdout, {
          filesDir, keepOpen: !flags.out, onProgress: show && ((p) => show(`elements: ${p.done}/${p.total}`)),
        }),
      );
      if (show) process.stderr.write('\n');
      if (flags.out) tools.line(`${report.elements} elements written to ${flags.out}${report.files ? `, ${report.files} files to ${filesDir}` : ''}`);
    });

  cmd
    .command('import <file>')
    .description('create or update from an export; matched by code and xml_id, so it can run again')
    .addOption(formatOption())
    .option('--iblock <code>', 'CSV: the infoblock the elements go to')
    .option('--files-dir <dir>', 'CSV: folder file cells are relative to (default: the folder of the file)')
    .option('--create-sections', 'CSV: create the sections the SECTIONS column names that do not exist yet')
    .option('--dry-run', 'check everything and report what would change without writing')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, flags: { format?: string; iblock?: string; filesDir?: string; createSections?: boolean; dryRun?: boolean; json?: boolean }) => {
      if (!existsSync(file)) throw ibErrors.EXCHANGE_INVALID(`file "${file}" does not exist`);
      const tty = process.stderr.isTTY && !flags.json;
      const show = progressLine(tty);
      if (formatOf(flags.format, file) === 'csv') {
        if (!flags.iblock) throw ibErrors.EXCHANGE_INVALID('a CSV import needs the infoblock: --iblock <code>');
        const size = statSync(file).size || 1;
        const importElementsCsv = await exchange.importCsv();
        const report = await tools.withKernel((kernel) =>
          importElementsCsv(kernel, SYSTEM, createReadStream(file), {
            iblock: flags.iblock!, dryRun: flags.dryRun, filesDir: flags.filesDir ?? path.dirname(path.resolve(file)), createSections: flags.createSections,
            onProgress: show && ((p) => show(`rows: ${p.rows} (${Math.min(100, Math.round((100 * p.bytes) / size))}%)`)),
          }),
        );
        if (tty) process.stderr.write('\n');
        if (flags.json) return tools.printJson(report);
        tools.line(`${report.dryRun ? 'Dry run, nothing written. ' : ''}Infoblock ${report.iblock}: ${report.rows} rows, ${report.created} created, ${report.updated} updated, ${report.filesStored} files stored${report.sectionsCreated ? `, ${report.sectionsCreated} sections created` : ''}`);
        return;
      }
      const xml = readFileSync(file, 'utf8');
      const importIblockXml = await exchange.importXml();
      const report = await tools.withKernel((kernel) =>
        importIblockXml(kernel, SYSTEM, xml, { dryRun: flags.dryRun, onProgress: show && ((p) => show(`${p.phase}: ${p.done}/${p.total}`)) }),
      );
      if (tty) process.stderr.write('\n');
      if (flags.json) return tools.printJson(report);
      const c = (n: { created: number; updated: number; unchanged: number }) => `${n.created} created, ${n.updated} updated, ${n.unchanged} unchanged`;
      tools.line(`${report.dryRun ? 'Dry run, nothing written. ' : ''}Infoblock ${report.iblock.code}: ${report.iblock.action}`);
      tools.line(`  properties: ${c(report.properties)}`);
      tools.line(`  sections:   ${c(report.sections)}`);
      tools.line(`  elements:   ${c(report.elements)}`);
    });

  addSweepCommand(cmd, tools, SYSTEM);
  return [cmd];
}
