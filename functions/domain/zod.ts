/**
 * The zod every function uses: `zod/mini`, whose functional API lets a bundle keep only the
 * validators it calls (classic zod builds all of its classes at import, a cost at every cold
 * start). `zod/mini` loads no locale of its own: English is set here, once, so every message a
 * handler or the settings report ("Invalid input: expected string, received number", ...) is the
 * one zod writes. Schema modules import this module as `z`, never 'zod' itself; the locale comes
 * from its own entry so that a bundle holds English only.
 */
import { en } from 'zod/locales';
import { config } from 'zod/mini';

config(en());

export * from 'zod/mini';
