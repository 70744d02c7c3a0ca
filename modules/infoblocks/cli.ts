import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import type { ModuleCliTools } from '../../core/modules/types.js';
import type { Principal } from '../../core/services.js';
import { ibErrors } from './errors.js';
import { exportIblockXml } from './exchange/export-xml.js';
import { importIblockXml } from './exchange/import-xml.js';

/** The CLI acts for the system administrator, like the installer. */
const SYSTEM: Principal = { userId: null, groupIds: [], isAdmin: true };

/** `portal infoblocks export|import`. */
export function infoblocksCli(tools: ModuleCliTools): Command[] {
  const cmd = new Command('infoblocks').description('infoblocks: XML export and import');

  cmd
    .command('export <code>')
    .description('write one infoblock (properties, sections, elements, files) as XML to stdout or --out')
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (code: string, flags: { out?: string }) => {
      const xml = await tools.withKernel((kernel) => exportIblockXml(kernel, SYSTEM, code));
      if (flags.out) writeFileSync(flags.out, xml);
      else process.stdout.write(xml);
    });

  cmd
    .command('import <file>')
    .description('create or update an infoblock from an export; matched by code and xml_id, so it can run again')
    .option('--dry-run', 'report what would change without writing')
    .option('--json', 'print the report as JSON')
    .action(async (file: string, flags: { dryRun?: boolean; json?: boolean }) => {
      if (!existsSync(file)) throw ibErrors.EXCHANGE_INVALID(`file "${file}" does not exist`);
      const xml = readFileSync(file, 'utf8');
      const tty = process.stderr.isTTY && !flags.json;
      const report = await tools.withKernel((kernel) =>
        importIblockXml(kernel, SYSTEM, xml, {
          dryRun: flags.dryRun,
          onProgress: tty ? (p) => void process.stderr.write(`\r  ${p.phase}: ${p.done}/${p.total}   `) : undefined,
        }),
      );
      if (tty) process.stderr.write('\n');
      if (flags.json) return tools.printJson(report);
      const c = (n: { created: number; updated: number; unchanged: number }) => `${n.created} created, ${n.updated} updated, ${n.unchanged} unchanged`;
      tools.line(`${report.dryRun ? 'Dry run, nothing written. ' : ''}Infoblock ${report.iblock.code}: ${report.iblock.action}`);
      tools.line(`  properties: ${c(report.properties)}`);
      tools.line(`  sections:   ${c(report.sections)}`);
      tools.line(`  elements:   ${c(report.elements)}`);
    });

  return [cmd];
}
