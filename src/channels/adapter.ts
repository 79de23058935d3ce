import type { ChannelKind } from '../contracts/tickets.ts';
import type { IdentityKind } from '../modules/customers/customers.service.ts';

/**
 * What a channel adapter hands to tickets.ingest: the outside world's message, translated.
 * Adapters never touch ticket tables; this type is the whole contract.
 */
export interface InboundMessage {
  channel: ChannelKind;
  /** The channel's id for this message (Message-ID, client message id): a second delivery is dropped. */
  externalId?: string;
  /** Who wrote it, as the channel knows them. */
  identity: { kind: IdentityKind; value: string; name?: string };
  subject?: string;
  /** Plain text, already sanitized by the adapter. */
  body: string;
  /**
   * Which ticket it may continue: a [#number] tag or a known ticket id (both only for the ticket's own
   * customer), or the channel ids it replies to (email: In-Reply-To, then References newest first),
   * matched against stored messages' externalIds.
   */
  threadHints?: { ticketNumber?: number; ticketId?: string; messageIds?: string[] };
  /** Routing the adapter already knows (the inbox's department). */
  departmentId?: string;
  /** Files that came with the message (mail attachments; inline images keep their Content-ID). */
  attachments?: Array<{ filename: string; contentType: string; content: Buffer; contentId?: string }>;
}
