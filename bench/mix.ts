/** The reference mix of the benchmarks: 90 % delivered, 4 % soft bounce, 3 % hard bounce, 1 % complaint, 2 % deferred. */

let seq = 0;
const DOMAINS = ['gmail.example', 'yahoo.example', 'outlook.example', 'corp.example', 'mail.example'];

/** Deterministic: the i-th event of every run is the same kind. */
export function kindAt(i: number): 'delivered' | 'soft' | 'hard' | 'complaint' | 'deferred' {
  const r = (i * 37) % 100;
  return r < 90 ? 'delivered' : r < 94 ? 'soft' : r < 97 ? 'hard' : r < 98 ? 'complaint' : 'deferred';
}

/** A SendGrid Event Webhook body of `n` events, as SendGrid serializes it (CRLF between events). */
export function sendgridBatch(n: number, at = Math.floor(Date.now() / 1000)): string {
  const run = ++seq;
  const events = Array.from({ length: n }, (_, i) => {
    const base = {
      email: `user${run}x${i}@${DOMAINS[i % DOMAINS.length]}`, timestamp: at, 'smtp-id': `<${run}.${i}@sender.example>`,
      sg_event_id: `ev${run}x${i}`, sg_message_id: `msg${run}x${i}.filter0001`, category: ['newsletter'],
    };
    switch (kindAt(i)) {
      case 'delivered': return { ...base, event: 'delivered', response: '250 2.0.0 OK 1700000000 x12si123456qkb.2 - gsmtp', tls: 1 };
      case 'soft': return { ...base, event: 'bounce', type: 'blocked', status: '4.2.2', reason: '452 4.2.2 The email account that you tried to reach is over quota', bounce_classification: 'Mailbox Unavailable' };
      case 'hard': return { ...base, event: 'bounce', type: 'bounce', status: '5.1.1', reason: "550 5.1.1 The email account that you tried to reach does not exist", bounce_classification: 'Invalid Address' };
      case 'complaint': return { ...base, event: 'spamreport' };
      default: return { ...base, event: 'deferred', response: '421 4.7.0 Try again later, closing connection.', attempt: '1' };
    }
  });
  return `${events.map((e) => JSON.stringify(e)).join(',\r\n').replace(/^/, '[')}]\r\n`;
}
