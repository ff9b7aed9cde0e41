/// <reference types="node" />
/** Reads the SES fixtures copied under test/fixtures/ses (see SOURCES.md there). */
import { readFileSync } from 'node:fs';
import { HttpError } from '../../../src/http/errors.js';

const ROOT = new URL('../../fixtures/ses/', import.meta.url);

export const fixtureText = (path: string): string => readFileSync(new URL(path, ROOT), 'utf8');

export const REAL_CERT_URL_NAME = 'SimpleNotificationService-7ff5318490ec183fbaddaa2a969abfda.pem';
export const realCertPem = (): string => fixtureText(`signature-test-vectors/${REAL_CERT_URL_NAME}`);

export const REAL_VECTORS = [
  'signature-test-vectors/aws-sdk-ruby-real-sns-v1-sha1-notification.json',
  'signature-test-vectors/aws-sdk-ruby-real-sns-v2-sha256-notification.json',
  'signature-test-vectors/django-ses-real-sns-v1-eventpublishing-complaint.json',
  'signature-test-vectors/django-ses-real-sns-v1-notification-bounce.json',
] as const;

export interface LabelEvent {
  type: string;
  recipient: string;
  class: string | null;
  reason: string | null;
  reply_code?: string | null;
  status?: string | null;
}

export interface LabelRow {
  file: string;
  invalid: boolean;
  ignored: number;
  events: LabelEvent[];
  notes: string;
}

export const sesLabels = (): LabelRow[] =>
  fixtureText('labels.jsonl').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as LabelRow);

/** The HttpError a synchronous call throws (anything else is rethrown; no throw fails the test). */
export function syncError(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (err) {
    if (err instanceof HttpError) return err;
    throw err;
  }
  throw new Error('expected an HttpError');
}
