// `homegrown db backup <file>` and `homegrown db check`.
import { Command } from 'commander';
import { AppFiles, backupDatabase, openDatabase, resolveHome, Store, type FixReport } from '../core/store';

const HOME_HELP = 'app data folder (default: $HOMEGROWN_HOME, else the per-OS location)';

export function dbCommand(): Command {
  const db = new Command('db');

  db.command('backup')
    .description("copy the database with SQLite's online backup API and verify the copy")
    .argument('<file>', 'where to write the backup')
    .option('--home <dir>', HOME_HELP)
    .action(async (file: string, options: { home?: string }) => {
      const files = new AppFiles(resolveHome(options.home));
      // Copied as it is, without migrating, so a backup taken before an upgrade is of the old schema.
      const source = openDatabase(files.databasePath, { mustExist: true, migrate: false });
      try {
        const result = await backupDatabase(source, file);
        console.log(`Backed up ${files.databasePath} to ${result.path} (${result.pages} pages, integrity ok)`);
      } finally {
        source.close();
      }
    });

  db.command('check')
    .description('integrity_check, foreign keys, search indexes, that every referenced file exists, and files no row accounts for')
    .option('--home <dir>', HOME_HELP)
    .option('--fix', 'adopt orphan images that carry their recipe, remove other orphans, forget checkpoints whose folders are gone')
    .option('--json', 'print the report as JSON')
    .action(async (options: { home?: string; json?: boolean; fix?: boolean }) => {
      const store = Store.open({ home: options.home, mustExist: true });
      try {
        const fixed = options.fix ? await store.fix() : undefined;
        const report = store.check();
        if (options.json) {
          console.log(JSON.stringify(fixed ? { ...report, fixed } : report, null, 2));
        } else {
          if (fixed) printFixes(fixed);
          console.log(`integrity_check: ${report.integrity.length === 0 ? 'ok' : report.integrity.join('; ')}`);
          console.log(`foreign keys: ${report.foreignKeyViolations === 0 ? 'ok' : `${report.foreignKeyViolations} violations`}`);
          console.log(`search indexes: ${report.searchIndexProblems.length === 0 ? 'ok' : report.searchIndexProblems.join('; ')}`);
          console.log(`files: ${report.referencedFiles} referenced, ${report.missingFiles.length} missing`);
          for (const missing of report.missingFiles) console.log(`  missing: ${missing}`);
          if (report.missingFiles.length > 0 && !fixed)
            console.log('  (--fix forgets checkpoints whose folders are gone; a missing image stays listed)');
          if (report.orphans.length > 0) {
            console.log(
              `orphans: ${report.orphans.length} files no row accounts for (left by a crash; harmless; --fix adopts or removes them)`,
            );
            for (const orphan of report.orphans) console.log(`  orphan: ${orphan}`);
          }
        }
        if (!report.ok) process.exitCode = 1;
      } finally {
        store.close();
      }
    });

  return db;
}

function printFixes(fixed: FixReport): void {
  for (const p of fixed.adopted) console.log(`adopted: ${p} (its recipe names a checkpoint of this store; now in the gallery)`);
  for (const p of fixed.removed) console.log(`removed: ${p}`);
  if (fixed.forgottenCheckpoints > 0) console.log(`forgot ${fixed.forgottenCheckpoints} checkpoints whose folders are gone`);
}
