/**
 * Keeps the local SES capture (the emails `aws-ses-v2-local` holds in memory) in a file in the data
 * dir, so a restart of `npm start` keeps the emails and the survey and ack links in them, as it keeps
 * complaints and executions. The package saves each email (and clears the store) through its store
 * module's exports, read at each call: wrapping them sees every change, whichever SES API made it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface StoreModule {
  saveEmail: (email: unknown) => void;
  clearStore: () => void;
  getStoreReadonly: () => { emails: unknown[] };
}

export interface CaptureFile {
  /** Writes what is pending and stops following the store. */
  close(): void;
}

/** Loads the emails saved in `file` into the store (replacing what it held) and saves each new one. */
export function keepCaptureInFile(file: string): CaptureFile {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const store = require('aws-ses-v2-local/dist/store') as StoreModule;
  const emails = store.getStoreReadonly().emails;
  emails.splice(0, emails.length, ...readSaved(file));

  let pending: NodeJS.Timeout | undefined;
  const writeNow = () => {
    pending = undefined;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Write-then-rename: a crash mid-write never leaves a torn file.
    const tmp = `${file}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ emails: store.getStoreReadonly().emails }));
    fs.renameSync(tmp, file);
  };
  const { saveEmail, clearStore } = store;
  store.saveEmail = (email) => {
    saveEmail(email);
    pending ??= setTimeout(writeNow, 50);
  };
  store.clearStore = () => {
    clearStore();
    pending ??= setTimeout(writeNow, 50);
  };
  return {
    close: () => {
      store.saveEmail = saveEmail;
      store.clearStore = clearStore;
      if (pending) {
        clearTimeout(pending);
        writeNow();
      }
    },
  };
}

/** The saved emails; none when the file is absent or unreadable (the capture starts empty). */
function readSaved(file: string): unknown[] {
  if (!fs.existsSync(file)) return [];
  try {
    const saved = JSON.parse(fs.readFileSync(file, 'utf8')) as { emails?: unknown };
    return Array.isArray(saved.emails) ? saved.emails : [];
  } catch {
    return [];
  }
}
