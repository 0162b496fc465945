/**
 * `npm run docs:generate`: rewrites every generated documentation file (workflows/generated-docs.ts)
 * and names the ones that changed. The screenshots need a browser: test/e2e/browser-survey.test.ts
 * and test/e2e/browser-console.test.ts write those.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERATED_DOCS } from './generated-docs';

const root = path.resolve(__dirname, '..');
for (const doc of GENERATED_DOCS) {
  const file = path.join(root, doc.path);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const next = doc.render(current);
  if (next === current) {
    console.log(`${doc.path}: up to date`);
    continue;
  }
  fs.writeFileSync(file, next);
  console.log(`${doc.path}: written`);
}
