// `homegrown db backup <file>` and `homegrown db check`.
import { Command } from 'commander';
import { AppFiles, backupDatabase, openDatabase, resolveHome, Store } from '../core/store';

const HOME_HELP = 'app data folder (default: $HOMEGROWN_HOME, else the per-OS location)';

export function dbCommand(): Command {
  const db = new Command('db');

  db.command('backup')
    .description('copy the database with SQLite\'s online backup API and verify the copy')
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
    .description('integrity_check, foreign keys, search indexes, and that every referenced file exists')
    .option('--home <dir>', HOME_HELP)
    .option('--json', 'print the report as JSON')
    .action((options: { home?: string; json?: boolean }) => {
      const store = Store.open({ home: options.home, mustExist: true });
      try {
        const report = store.check();
        if (options.json) {
          console.log(JSON.stringify(report, null, 2));
        } else {
          console.log(`integrity_check: ${report.integrity.length === 0 ? 'ok' : report.integrity.join('; ')}`);
          console.log(`foreign keys: ${report.foreignKeyViolations === 0 ? 'ok' : `${report.foreignKeyViolations} violations`}`);
          console.log(`search indexes: ${report.searchIndexProblems.length === 0 ? 'ok' : report.searchIndexProblems.join('; ')}`);
          console.log(`files: ${report.referencedFiles} referenced, ${report.missingFiles.length} missing`);
          for (const missing of report.missingFiles) console.log(`  missing: ${missing}`);
        }
        if (!report.ok) process.exitCode = 1;
      } finally {
        store.close();
      }
    });

  return db;
}
