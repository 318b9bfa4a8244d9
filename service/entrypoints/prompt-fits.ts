// `prompt-fits`: inspect FITS files from the command line (what astropy's fitsinfo and fitsheader do).
// Wiring only: parse arguments, read the file through the adapter, print what fits-inspection makes.

import { Command } from 'commander';
import { FitsError } from '../domain/fits';
import { formatSummaryTable, headerText, selectHdu, summarizeHdus } from '../fits-inspection/hdu-summary';
import { readFitsFile } from '../fits-io/read-fits-file';

function program(): Command {
  const cli = new Command('prompt-fits')
    .description('Inspect FITS files: plain, multi-extension, tile-compressed (.fz) and gzip-wrapped (.gz).')
    .showHelpAfterError();

  cli
    .command('info')
    .description(
      'list every HDU: type, BITPIX, shape, compression, EXTNAME, pixel min/max/mean and NaN count',
    )
    .argument('<file>', 'FITS file (.fits, .fz, .fits.gz)')
    .option('--json', 'print JSON instead of a table')
    .action((file: string, options: { json?: boolean }) => {
      const rows = summarizeHdus(readFitsFile(file));
      const text = options.json
        ? JSON.stringify({ file, hdus: rows }, null, 2)
        : formatSummaryTable(file, rows);
      process.stdout.write(`${text}\n`);
    });

  cli
    .command('header')
    .description("print the header cards of every HDU, or of one (a compressed image's own header)")
    .argument('<file>', 'FITS file (.fits, .fz, .fits.gz)')
    .option('--hdu <n>', '0-based HDU index or EXTNAME')
    .action((file: string, options: { hdu?: string }) => {
      const fits = readFitsFile(file);
      const indices =
        options.hdu === undefined ? fits.hdus.map((_, i) => i) : [selectFromFile(file, options.hdu)];
      const blocks = indices.map((i) => `# HDU ${i} in ${file}:\n${headerText(fits, i)}`);
      process.stdout.write(`${blocks.join('\n\n')}\n`);

      function selectFromFile(name: string, which: string): number {
        try {
          return selectHdu(fits, which);
        } catch (thrown) {
          throw thrown instanceof FitsError ? thrown.inFile(name) : thrown;
        }
      }
    });
  return cli;
}

try {
  program().parse(process.argv);
} catch (thrown) {
  // One line, no stack: the message already says which file, which HDU and what is wrong.
  const reason = thrown instanceof Error ? thrown.message : String(thrown);
  process.stderr.write(`prompt-fits: ${reason}\n`);
  process.exitCode = 1;
}
