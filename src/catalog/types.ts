/** Shared vocabulary of the SMTP catalog (SPEC §6). Pure data types. */

export type Lang = 'en' | 'es';

/**
 * What a code says about retrying. `intermediate` is only for the 3yz replies (354, 334), which
 * are neither a result nor a failure but "go on".
 */
export type Permanence = 'success' | 'intermediate' | 'transient' | 'permanent';

/**
 * Whose side a code usually points at: the recipient's address, mailbox or domain; the sender
 * (its address, IP, authentication, content, policy standing); the transport between them
 * (servers, network, protocol); or either, when the code alone cannot tell.
 */
export type Side = 'recipient' | 'sender' | 'transport' | 'either';
