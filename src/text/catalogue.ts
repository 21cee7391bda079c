/**
 * The message catalogue: every sentence and card label the bot writes, in English and Chinese.
 * ICU MessageFormat (intl-messageformat): `{name}` interpolates, `{count, plural, …}` picks the
 * plural form of the language. Apostrophes are plain text (ICU quotes only before `{`, `}`, `#`);
 * tags are not parsed (`<` stays text). Keep the English exactly as the tests and data/eval match it.
 */
export const en = {
  // Slot filling, small talk and the knowledge base (the embedded model).
  'embedded.askOrderId': 'Which order number? Order numbers look like ORD-10421.',
  'embedded.askCancelOrderId': 'Which order do you want to cancel? Order numbers look like ORD-10421.',
  'embedded.askOthersOrderId':
    "I can only list your own orders. To look up someone else's order, tell me its order number (it looks like ORD-10421).",
  'embedded.askTicketId': 'Which ticket? Ticket numbers look like TKT-000123.',
  'embedded.askWhichTicket':
    'Which ticket? Give me its number (TKT-000123, or just 123), or say "show open tickets" and pick one from the list.',
  'embedded.noteNeedsText':
    'What should the note say? For example: "add a note to TKT-000123: customer called back".',
  'embedded.noInternalNotes':
    'Notes on a ticket are shared with its requester: there are no internal notes here, so I added nothing. Say "add a note to …: …" for a note they can read.',
  'embedded.askTicketProblem':
    "What's the problem? Describe it in a sentence or two and I'll draft a ticket for you to confirm.",
  'embedded.cancelled': "OK, I've stopped that. What else can I do for you?",
  'embedded.nothingToCancel': "There's nothing to cancel. What can I do for you?",
  'embedded.greeting':
    'Hello! I can look up your orders, open support tickets and answer questions about our policies. What can I do for you?',
  'embedded.notFound': "I couldn't find that in the knowledge base.",
  'embedded.detailAdded':
    "I've added that to the ticket draft's description (see the updated card). Press Confirm when it's ready to file.",
  'embedded.notFoundOfferTicket':
    'I couldn\'t find a fix for that in the knowledge base. Shall I open a support ticket about it? Say "yes" and I\'ll draft one for you to check, or tell me more about the problem.',
  'embedded.outOfScope':
    "I can help with orders, support tickets and questions about our policies, but I couldn't find anything about that in the knowledge base.",
  /** A question about a name no document mentions ("do you accept bitcoin?", 你们支持支付宝吗). */
  'embedded.unknownName':
    "I can help with orders, support tickets and questions about our policies, but I couldn't find anything about {name} in the knowledge base.",
  'embedded.englishSource': 'This answer comes from an English document (there is no Chinese version yet):',
  'embedded.knowledgeUnavailable':
    'The knowledge base is unavailable right now, but I can still help with orders and tickets.',
  'embedded.thanks': "You're welcome! Is there anything else I can help with?",
  'embedded.thanksInFlow': "You're welcome!",
  'embedded.farewell': 'Goodbye! Message me any time you need help with an order, a ticket or a question.',
  'embedded.greetingInFlow': 'Hello again!',
  'embedded.askWhichOfOrders': 'Which order do you mean? {list}',
  /** The suggested replies under "Which order do you mean?" (1:1 chat): each sends its order number. */
  'orderChoice.pick': 'Tap an order number or type it:',
  'embedded.otherRequest': 'About your other request:',
  'embedded.noMatchingOrder': "I couldn't match that to one of your orders.",
  /** "yes" / "go ahead" after a confirmation card: the card's button is the confirmation. */
  'embedded.pressConfirm':
    "If you haven't yet, press **Confirm** on the card above: I only go ahead when you do, so nothing happens twice.",
  /** "yes" / "ok" when nothing waits for an answer from this member (a stray reply in a group chat). */
  'embedded.nothingPending':
    "I'm not waiting for an answer from you just now. What can I do for you? I can look up your orders, open support tickets and answer questions about our policies.",
  /** Two requests in one message whose second needs its own question: it waits for the first. */
  'embedded.deferred': "I'll come back to your other request (“{request}”) after this.",
  /** "no thanks" / 不用了 to the offer of a ticket for a reported problem. */
  'embedded.offerDeclined': "All right, I won't open a ticket. What else can I do for you?",
  // Questions about the user's own orders answered from the order data (src/nlu/orderQuestions.ts).
  'refund.requested':
    'Your return of order {orderId} ({items}) was requested on {day} ({rmaId}). The refund goes to your original payment method once the parcel has reached our returns centre and been checked.',
  'refund.returned':
    'Order {orderId} ({items}) has been returned; the refund goes to your original payment method.',
  'refund.noReturn': 'None of your orders has a return in progress, so no refund is on its way yet.',
  'refund.noReturnFor': 'Order {orderId} has no return in progress, so no refund is on its way for it yet.',
  'refund.cancelled':
    'Order {orderId} ({items}) was cancelled on {day} before it shipped, so you are not charged for it: there is no refund to wait for.',
  'orders.paid': 'Order {orderId} came to {total}: {lines}.',
  'warranty.delivered': 'Order {orderId} ({items}) was delivered on {day}.',
  'warranty.notDelivered': 'Order {orderId} ({items}) has not been delivered yet.',
  'broken.returnable':
    'It can still be returned until {day}: say "start a return for {orderId}" and you get your money back once it has been checked.',
  'broken.notReturnable': 'The return window for it has closed, but the warranty may cover it.',
  'broken.ticketOffer':
    'If you would rather have it looked at: shall I open a support ticket about it? Say "yes" and I\'ll draft one for you to check.',
  'change.processing':
    'I can\'t change the items of order {orderId} ({items}), but it hasn\'t shipped yet: I can cancel it so you can place a new order with what you want. Say "cancel {orderId}".',
  'change.shipped':
    'Order {orderId} ({items}) has already shipped, so it can no longer be changed. Once it arrives you can return what you don\'t want: say "start a return for {orderId}".',
  'change.delivered':
    'Order {orderId} ({items}) has been delivered, so it can no longer be changed, but you can return what you don\'t want: say "start a return for {orderId}".',
  'change.closed': 'Order {orderId} is {status}, so there is nothing left to change.',
  'change.stillProcessing':
    "{count, plural, one {{orders} hasn't shipped yet, so it can still be cancelled.} other {{orders} haven't shipped yet, so they can still be cancelled.}}",
  'change.general':
    "I can't change what is in an order. An order that hasn't shipped yet can be cancelled and placed again; once it has arrived you can return what you don't want.",
  /** The waiting question asked again after a digression (English lowercases its first letter). */
  'embedded.resume': 'Now, {question}',

  // Fixed replies (src/replies.ts).
  'replies.help': [
    'I can help with orders, support tickets and questions about company policies.',
    '- **Orders**: "Where is order ORD-10421?", "Show my orders"',
    '- **Returns**: "Return ORD-10388", "I want a refund for ORD-10388"',
    '- **Tickets**: "Open a ticket about a damaged item", "What is the status of TKT-000123?"',
    '- **Knowledge**: "What is the return policy?", "How do I reset my password?"',
    'Type **reset** to start over.',
  ].join('\n'),
  'replies.reset': 'Done: I have cleared this conversation. What can I do for you?',
  'replies.tooLong':
    'That message is too long for me (over {max} characters). Please shorten it and try again.',
  'replies.turnFailed': 'Sorry, something went wrong on my side. Please try again in a moment.',
  'replies.unknownTool':
    "Sorry, I can't do that: I can look up orders, open tickets, check a ticket's status and answer questions from the company documents.",
  'replies.detailsSentPrivately': "I've sent you the details in our 1:1 chat.",
  'replies.sharedDraftSummary':
    'I drafted the ticket: the card shows its details to you only. Review it there and press Confirm to file it.',
  'replies.streamNoAnswer':
    "Sorry, I couldn't put an answer together. Please try again or rephrase your question.",

  // Refusals shared by the tools (src/actions/messages.ts).
  'actions.orderNotFound': "I couldn't find order {orderId} on your account.",
  'actions.ticketNotFound': "I couldn't find ticket {ticketId} on your account.",
  'actions.ordersUnavailable':
    'The order system is not reachable right now. Please try again in a few minutes.',
  'actions.ticketsUnavailable':
    'The ticket system is not reachable right now. Please try again in a few minutes.',
  'actions.identityRequired':
    "I can't tell who you are here (no work account), so I can't show or change orders, tickets or drafts. Sign in with your work account and ask me again.",

  // start_return's questions.
  'returns.askOrderId': 'Which order do you want to return? Order numbers look like ORD-10421.',
  'returns.askReason':
    'Why are you returning order {orderId}? A few words are enough, e.g. "it arrived damaged" or "it doesn\'t fit".',

  // Order status names (shown through a label; the stored value stays English).
  'orderStatus.processing': 'Processing',
  'orderStatus.shipped': 'Shipped',
  'orderStatus.out_for_delivery': 'Out for delivery',
  'orderStatus.delivered': 'Delivered',
  'orderStatus.cancelled': 'Cancelled',
  'orderStatus.return_requested': 'Return requested',
  'orderStatus.returned': 'Returned',

  // Order cards.
  'orderCard.title': 'Order {orderId}',
  'orderCard.ordered': 'Ordered',
  'orderCard.shipped': 'Shipped',
  'orderCard.delivered': 'Delivered',
  'orderCard.estimatedDelivery': 'Estimated delivery',
  'orderCard.carrier': 'Carrier',
  'orderCard.total': 'Total: {amount}',
  'orderCard.track': 'Track with {carrier}',
  'orderCard.trackFallback': 'carrier',
  'orderCard.openTicket': 'Open a ticket about this order',
  'orderList.title': 'Your orders',
  'orderList.empty': 'You have no orders yet.',
  'orderList.show': 'Show order',
  'orderList.row': 'Ordered {date} · {count, plural, other {# item(s)}}',
  'orderList.subtitle': '{count, plural, other {# order(s)}}, newest first',
  'ticketList.title': 'Your tickets',
  'ticketList.queueTitle': 'Open tickets',
  'ticketList.subtitle': '{count, plural, other {# ticket(s)}}, newest first',
  'ticketList.empty': "You have no support tickets. Tell me what's wrong and I'll draft one.",
  'ticketList.queueEmpty': 'The support queue is empty: no open tickets.',
  'ticketList.queueOnlyAgents': 'Only support agents can see the whole queue. These are your tickets.',
  'ticketList.show': 'Show ticket',
  'ticketList.row': 'Created {date} · {priority}',
  'ticketList.queueRow': 'Created {date} · {priority} · {requester}',

  // Ticket cards.
  'ticketStatus.draft': 'Draft — not filed yet',
  'ticketStatus.cancelled': 'Cancelled',
  'ticketStatus.open': 'Open',
  'ticketStatus.in_progress': 'In progress',
  'ticketStatus.resolved': 'Resolved',
  'ticketStatus.closed': 'Closed',
  'ticketCategory.billing': 'Billing',
  'ticketCategory.technical': 'Technical',
  'ticketCategory.delivery': 'Delivery',
  'ticketCategory.account': 'Account',
  'ticketCategory.other': 'Other',
  'ticketCategory.order': 'Order',
  'ticketCategory.hr': 'Hr',
  'ticketCategory.handoff': 'Handoff',
  'ticketCategory.return': 'Return',
  'ticketPriority.low': 'Low',
  'ticketPriority.normal': 'Normal',
  'ticketPriority.high': 'High',
  'ticketPriority.urgent': 'Urgent',
  'ticketCard.category': 'Category',
  'ticketCard.priority': 'Priority',
  'ticketCard.order': 'Order',
  'ticketCard.requestedBy': 'Requested by',
  'ticketCard.reviewTitle': 'Review your ticket',
  'ticketCard.reviewSubtitle': 'Nothing is filed until you confirm.',
  'ticketCard.choosePriority': 'Choose a priority.',
  'ticketCard.confirm': 'Confirm',
  'ticketCard.cancel': 'Cancel',
  'ticketCard.createdTitle': 'Ticket {ticketId} created',
  'ticketCard.createdSubtitle': 'Our support team will get back to you.',
  'ticketCard.created': 'Created',
  'ticketCard.cancelledTitle': 'Ticket draft cancelled',
  'ticketCard.notFiled': '"{title}" was not filed.',
  'ticketCard.statusTitle': 'Ticket {ticketId}',
  'ticketUpdate.updatedTitle': 'Ticket {ticketId} updated',
  'ticketUpdate.noteTitle': 'Ticket {ticketId} has a new note',
  'ticketUpdate.updated': 'Updated',
  'ticketUpdate.summary': 'Ticket {ticketId} update',
  'ticketUpdate.sharedLine': 'There is an update on ticket {ticketId}. Ask me in a 1:1 chat for the details.',
  'ticketCard.draftId': '(draft)',
  'ticketCard.lastUpdate': 'Last update',
  'ticketCard.latestNote': 'Latest note: {comment}',
  'ticketCard.earlierNote': 'Earlier note ({day}): {comment}',
  // Ticket assignment (assign_ticket, the status card's buttons, the notices).
  'ticketCard.assignee': 'Assigned to',
  'ticketCard.nobody': 'Nobody yet',
  'ticketCard.assignToMe': 'Assign to me',
  'ticketCard.takeOver': 'Take it over',
  'ticketCard.unassign': 'Unassign',
  'assign.forbidden': 'Only support agents can assign tickets.',
  'assign.noMention':
    'Who should get {ticketId}? @mention the support agent in the same message, for example "assign {ticketId} to @Dana", or say "assign {ticketId} to me".',
  'assign.manyMentions': 'Please @mention just one support agent to assign {ticketId} to.',
  'assign.unresolved':
    "I couldn't tell who {name} is from the mention, so {ticketId} stays as it is. Pick them from the @mention list and try again.",
  'assign.notAgent': '{name} is not a support agent, so I can’t assign {ticketId} to them.',
  'assign.closed': '{ticketId} is closed; closed tickets are not assigned any more.',
  'assign.conflict': '{ticketId} was assigned to {name} in the meantime, so nothing changed.',
  'assign.conflictUnassigned': '{ticketId} was unassigned in the meantime, so nothing changed.',
  'assign.toYou': '{ticketId} is now assigned to you.',
  'assign.toOther': '{ticketId} is now assigned to {name}.',
  'assign.alreadyYou': '{ticketId} is already assigned to you.',
  'assign.alreadyOther': '{ticketId} is already assigned to {name}.',
  'assign.unassigned': '{ticketId} is unassigned and back in the queue.',
  'assign.alreadyUnassigned': '{ticketId} is not assigned to anyone.',
  'assign.requesterTold': ' I have let the requester know.',
  // Notes on a ticket (update_ticket without a status).
  'notes.added': 'I added your note to ticket {ticketId}; it stays {status}.',
  'notes.unchanged': 'Ticket {ticketId} already has that note; nothing changed.',
  'notes.closed':
    'Ticket {ticketId} is closed; closed tickets take no more notes. Open a new ticket if something is still wrong.',
  'assign.anotherAgent': 'another agent',
  'assign.you': 'you',
  'assign.askTicketId': 'Which ticket? Say, for example, "assign TKT-000123 to me".',
  'ticketList.assignedTitle': 'Assigned to you',
  'ticketList.assignedEmpty':
    'No open tickets are assigned to you. Say "unassigned tickets" to find one to take.',
  'ticketList.unassignedTitle': 'Unassigned tickets',
  'ticketList.unassignedEmpty': 'Every open ticket has an assignee.',
  'ticketList.assigneeRow': 'Created {date} · {priority} · {requester} · {assignee}',
  'ticketList.take': 'Assign to me',
  'ticketUpdate.assignedTitle': 'Ticket {ticketId} is being handled',
  'ticketUpdate.assignedTo': '{name} from the support team is now working on it.',
  'ticketUpdate.assignedToTeam': 'A support agent is now working on it.',
  'assignedNotice.title': '{ticketId} was assigned to you',
  'assignedNotice.by': 'Assigned by {name}.',
  'assignedNotice.summary': 'Ticket {ticketId} assigned to you',

  // Cancel-order and return confirmation cards.
  'cancelCard.order': 'Order',
  'cancelCard.ordered': 'Ordered',
  'cancelCard.items': 'Items',
  'cancelCard.total': 'Total',
  'cancelCard.reason': 'Reason',
  'cancelCard.title': 'Cancel order {orderId}?',
  'cancelCard.nothingChanges': 'Nothing changes until you confirm.',
  'cancelCard.confirm': 'Confirm cancellation',
  'cancelCard.keep': 'Keep order',
  'cancelCard.cancelledTitle': 'Order {orderId} cancelled',
  'cancelCard.notCharged': 'You will not be charged for it.',
  'cancelCard.cancelled': 'Cancelled',
  'cancelCard.cancelledOn': 'Cancelled on',
  'cancelCard.keptTitle': 'Order {orderId} kept',
  'cancelCard.nothingCancelled': 'Nothing was cancelled.',
  'returnCard.title': 'Return items from order {orderId}?',
  'returnCard.delivered': 'Delivered',
  'returnCard.returnBy': 'Return by',
  'returnCard.notReturnable': 'Not returnable',
  'returnCard.refund': 'Refund',
  'returnCard.refundValue': '{amount} to the original payment method',
  'returnCard.confirm': 'Confirm return',
  'returnCard.keep': 'Keep items',
  'returnCard.requestedTitle': 'Return {rmaId} requested',
  'returnCard.requested': 'Return requested',
  'returnCard.rma': 'Return (RMA)',
  'returnCard.ticket': 'Ticket',
  'returnCard.requestedOn': 'Requested on',
  'returnCard.nextSteps':
    'Support will be in touch about sending the items back. Quote the RMA number on the parcel.',
  'returnCard.keptTitle': 'Order {orderId}: no return',
  'returnCard.nothingReturned': 'Nothing was returned.',

  // Error card and welcome card.
  'errorCard.title': 'That did not work',
  'errorCard.done': 'Done',
  'welcome.title': 'Hi, I am the Service Bot',
  'welcome.intro':
    'I look up orders, open and track support tickets, and answer questions from the company knowledge base, with sources you can check.',
  'welcome.askInChannel': 'Mention me (@Service Bot) and ask, for example:',
  'welcome.ask': 'Just ask, for example:',
  'welcome.orders': 'Orders',
  'welcome.tickets': 'Tickets',
  'welcome.knowledge': 'Knowledge',
  'welcome.commands': 'Commands',
  'welcome.commandsValue': '"help" shows this again · "reset" starts the conversation over',

  // report_missing_delivery: one candidate order or several.
  'delivery.pick':
    '{count, plural, one {Sorry your package has not arrived. Is it this order? Pick it on the card (or tell me the order number) and I will draft a delivery ticket.} other {Sorry your package has not arrived. Which order is it? Pick it on the card (or tell me the order number) and I will draft a delivery ticket.}}',

  // request_human (hand over to a person), src/replies.ts handoffReplies.
  'handoff.opened': "I've opened ticket {ticketId} so a person from our support team takes over.",
  'handoff.alreadyOpen':
    "Your ticket {ticketId} for a person to take over is still open, so I haven't opened another one.",
  'handoff.notified': 'The support team has been notified in Teams.',
  'handoff.notConfigured':
    'No support channel is set up in Teams yet, so nobody was notified right away: the support team will find the ticket in their queue.',
  'handoff.notifyFailed':
    "I couldn't notify the support team in Teams just now: the ticket is stored and the team will find it in their queue.",
  'handoff.call': 'You can also call us at {phone}.',
  'handoff.callHours': 'You can also call us at {phone} ({hours}).',
  'handoff.email': 'Email: {email}.',
  'handoff.source': '(From "{title}".)',
  'handoff.contactUnknown':
    "I couldn't look up our phone number and opening hours in the knowledge base just now.",
  'handoff.unavailable': "I can't hand you over to a person right now. Please try again in a few minutes.",

  'handoffCard.ticket': 'Ticket',
  'handoffCard.phone': 'Phone',
  'handoffCard.hours': 'Phone support hours',
  'handoffCard.email': 'Email',
  'handoffCard.source': 'Source: {title}',

  // report_missing_delivery's answers (deliveryReplies).
  'delivery.none':
    'None of your orders is on its way right now (shipped or out for delivery). I can still open a delivery ticket for you, or hand you over to a person.',
  'delivery.notShipped':
    'Order {orderId} has not shipped yet, so it cannot be missing: it is still being processed.',
  'delivery.drafted':
    'I drafted a delivery ticket for order {orderId}. Please review it on the card and press Confirm to file it.',

  // cancel_order's answers (src/actions/cancelOrder.ts cancelReplies).
  'cancel.alreadyCancelled': 'Order {orderId} is already cancelled.',
  'cancel.notCancellable':
    'Order {orderId} {status, select, delivered {has already been delivered} returned {has already been returned} return_requested {is being returned ({rmaId})} out_for_delivery {is already out for delivery} other {has already shipped}}, so it can no longer be cancelled — only orders still being processed can.{offer, select, now { You can return it instead: say "start a return for {orderId}".} later { Once it arrives you can return it instead: say "start a return for {orderId}".} other {}}',
  'shared.detailsKept':
    "I've kept the details out of this shared chat; ask me in a 1:1 chat for the full card.",
  'shared.restricted':
    "I can answer that in a private chat: the answer comes from documents not everyone here may see. Ask me in a 1:1 chat and I'll answer there.",
  'shared.resetMember':
    "Done: I have cleared what you and I had going here; other members' requests are untouched. What can I do for you?",
  'shared.cancelIn1to1': 'To cancel {orderId}, ask me in a 1:1 chat.',
  'cancel.confirm':
    'Please confirm on the card that you want to cancel order {orderId}. Nothing changes until you do.',

  // start_return's answers (returnReplies).
  'returns.confirm':
    'Please check the items and confirm the return of order {orderId} on the card. Nothing changes until you do.',
  'returns.policy':
    'Unused items can be returned within {windowDays} days of delivery; the refund goes to the original payment method.',
  'returns.alreadyRequested':
    'A return for order {orderId} has already been requested: {rmaId}. Support will be in touch about it.',
  'returns.notShippedYet':
    'Order {orderId} hasn\'t shipped yet, so there is nothing to return. You can cancel it instead: say "cancel order {orderId}".',
  'returns.notDeliveredYet':
    'Order {orderId} hasn\'t been delivered yet, so it can\'t be returned. Once it arrives, say "return {orderId}".',
  'returns.alreadyReturned': 'Order {orderId} has already been returned.',
  'returns.cancelled': 'Order {orderId} was cancelled, so there is nothing to return.',

  // Fixed replies sent before or outside a model turn (src/replies.ts repliesIn).
  'replies.unsupportedAttachment':
    'I cannot read attachments yet, so I ignored the file. Please paste the text instead.',
  'replies.storageUnavailable':
    'Sorry, I cannot reach my conversation store right now. Please try again in a minute.',
  'replies.answeredPrivately':
    "The answer comes from documents not everyone here may see, so I've sent it to you in our 1:1 chat.",
  'replies.alreadyHandled': 'I have already handled this request; nothing was done twice.',
  'replies.alreadyHandledTitle': 'Already done',
  'replies.rateLimited':
    'You are sending messages faster than I can answer. Please wait a few seconds and try again.',
  'replies.streamSearching': 'Searching the knowledge base…',

  // Card clicks (src/teams/routes/cardActions.ts) and the ticket service's refusals.
  'cards.invalid': 'This card is no longer valid.',
  'cards.failed': 'Something went wrong on my side. Please try again.',
  'cards.notAllowedTickets': 'You are not allowed to file tickets.',
  'cards.notAllowedAssign': 'Only support agents can assign tickets; nothing was changed.',
  'tickets.invalidPriority': 'That priority is not valid.',
  'tickets.draftCancelled': 'This ticket draft was cancelled.',
  'tickets.draftGone': 'This ticket draft no longer exists.',
  'tickets.noDraftToAddTo':
    'There is no ticket draft of yours in this chat to add that to. Tell me the problem and I will draft one.',
  'tickets.alreadyCreated': 'Ticket {ticketId} was already created.',
  'tickets.cardInvalid': 'This card is no longer valid. Please ask me to draft the ticket again.',
  'tickets.draftNotFound':
    'This ticket draft was not found: it may have expired, or only the person who drafted it can confirm or cancel it.',
  'cancel.notRequester': 'Only the person who asked for this cancellation can confirm it.',
  'cancel.forbidden': 'You are not allowed to cancel orders.',

  // The compose box's search (message extension) and link previews.
  'me.noIdentity': "I can't tell who you are here (no work account), so I can't search your orders.",
  'me.noOrders': 'None of your orders matches "{query}".',
  'me.typeAQuestion': 'Type what you are looking for, e.g. "return policy".',
  'me.noKnowledge': 'Nothing in the knowledge base matches "{query}".',
  'me.sharedNote':
    'Only documents for everyone are offered here, because what you insert is read by everyone in this conversation. Search from your 1:1 chat with Service Bot for the rest.',
  'me.itemRefused': 'That item can no longer be inserted. Please search again.',
  'me.knowledgeUnavailable':
    'The knowledge base is not reachable right now. Please try again in a few minutes.',
  'me.sharedDetails': 'Ask Service Bot in a 1:1 chat for the details.',
  'me.orderPreview': '{status} · {count, plural, other {# item(s)}}',
  'me.orderRecord': 'Order {id}',
  'me.ticketRecord': 'Ticket {id}',
  'me.source': 'Source',
  'me.file': 'File',
  'me.openSource': 'Open the source',
  'me.page': 'page {page}',

  // The frustration offer and the delivery-candidate card.
  'handoff.offer':
    "I'm sorry this isn't helping. Would you like to talk to a person? I can open a ticket and pass this conversation to our support team.",
  'handoff.offerButton': 'Talk to a person',
  'handoff.offerSuggestion': 'talk to a person',
  'delivery.notApplicable': 'Order {orderId} is {status}, so there is no delivery to report.',
  'delivery.sharedNote':
    "To report a missing package, ask me in a 1:1 chat: I don't list your orders in a shared chat.",
  'delivery.pickButton': "It's {orderId}",
  'delivery.anywayButton': 'Open a delivery ticket anyway',
  'delivery.items': 'Items',

  // start_return's refusals and notes (returnRepliesIn).
  'returns.outsideWindow':
    "Order {orderId} was delivered more than {windowDays} days ago, so it is outside the return window. If an item is faulty, open a ticket and we'll help under the warranty.",
  'returns.outsideMemberWindow':
    "Order {orderId} was delivered more than {windowDays} days ago, so it is outside even the {programme} return window. If an item is faulty, open a ticket and we'll help under the warranty.",
  'returns.outsideHolidayWindow':
    "Order {orderId} was bought in the {season}, so it could be returned until {until}; that date has passed. If an item is faulty, open a ticket and we'll help under the warranty.",
  'returns.memberWindow': 'As a {programme} member you can return it within {windowDays} days of delivery.',
  'returns.holidayWindow': 'Bought in the {season}, it can be returned until {until}.',
  'returns.notReturnable':
    "{names} from order {orderId} can't be returned: the returns policy excludes {labels}.",
  'returns.excluded': 'Not included: {lines}.',
  'returns.excludedLine': "{name} ({label} can't be returned)",
  'returns.unknownItem':
    'Order {orderId} has no item matching "{item}". Name the items as they appear on the order, or leave them out to return everything.',
  'returns.tooMany': 'Order {orderId} has only {quantity} × {name}.',
  'returns.sharedChat': 'To return {orderId}, ask me in a 1:1 chat.',
  'returns.notRequester': 'Only the person who asked for this return can confirm it.',
  'returns.forbidden': 'You are not allowed to start returns.',
  'returns.askReasonAndItems':
    'Why are you returning order {orderId}? A few words are enough, e.g. "it arrived damaged" or "it doesn\'t fit". It has several items: {names}. If you are returning only some of them, name them in your answer, e.g. "the {first} arrived damaged"; otherwise all of them go back.',

  // The LLM's language instruction (system prompt).
  'llm.answerLanguage': 'Answer in English.',
} as const;

export type MessageKey = keyof typeof en;

export const zhCN: Record<MessageKey, string> = {
  'embedded.askOrderId': '请问是哪个订单号?订单号的格式类似 ORD-10421。',
  'embedded.askCancelOrderId': '您要取消哪个订单?订单号的格式类似 ORD-10421。',
  'embedded.askOthersOrderId':
    '我只能列出您自己的订单。要查询别人的订单,请告诉我订单号(格式类似 ORD-10421)。',
  'embedded.askTicketId': '请问是哪个工单?工单号的格式类似 TKT-000123。',
  'embedded.askWhichTicket':
    '请问是哪个工单?请给出工单号(TKT-000123,或直接写 123),或者说"显示待处理的工单"再从列表中选。',
  'embedded.noteNeedsText': '备注要写什么?例如:"给 TKT-000123 加备注:客户已回电"。',
  'embedded.noInternalNotes': '工单备注会让提交人看到:这里没有内部备注,所以我什么也没有添加。',
  'embedded.askTicketProblem': '遇到了什么问题?用一两句话描述一下,我会起草一个工单供您确认。',
  'embedded.cancelled': '好的,已经停止了。还有什么可以帮您?',
  'embedded.nothingToCancel': '目前没有可以取消的操作。有什么可以帮您?',
  'embedded.greeting': '您好!我可以查询您的订单、创建支持工单,并解答有关我们政策的问题。有什么可以帮您?',
  'embedded.notFound': '抱歉,我在知识库中没有找到相关内容。',
  'embedded.detailAdded': '我已把这些补充到工单草稿的描述里(见更新后的卡片)。确认无误后请点击“确认”提交。',
  'embedded.notFoundOfferTicket':
    '我在知识库中没有找到解决办法。要我为此创建一个支持工单吗?回复"好的",我来起草一个给您确认;也可以再多描述一下问题。',
  'embedded.outOfScope':
    '我可以帮您处理订单、支持工单以及有关我们政策的问题,但在知识库中没有找到与此相关的内容。',
  'embedded.unknownName':
    '我可以帮您处理订单、支持工单以及有关我们政策的问题,但在知识库中没有找到关于“{name}”的内容。',
  'embedded.knowledgeUnavailable': '知识库暂时无法访问,但我仍然可以帮您处理订单和工单。',
  'embedded.englishSource': '以下答案来自英文文档(暂无中文版本):',
  'embedded.thanks': '不客气!还有什么可以帮您的吗?',
  'embedded.thanksInFlow': '不客气!',
  'embedded.farewell': '再见!有订单、工单或其他问题,随时找我。',
  'embedded.greetingInFlow': '您好!',
  'embedded.askWhichOfOrders': '您指的是哪个订单?{list}',
  'orderChoice.pick': '点选或输入订单号:',
  'embedded.otherRequest': '关于您的另一个请求:',
  'embedded.noMatchingOrder': '我没能把它对应到您的任何一个订单。',
  'embedded.pressConfirm':
    '如果您还没有操作，请点击上方卡片上的 **确认**：只有您确认后我才会继续，不会重复办理。',
  'embedded.nothingPending':
    '目前没有需要您回复的内容。有什么可以帮您?我可以查询您的订单、创建支持工单,并解答有关我们政策的问题。',
  'embedded.deferred': '这件事办完后,我再接着处理您的另一个请求(“{request}”)。',
  'embedded.offerDeclined': '好的,那就不创建工单了。还有什么可以帮您?',
  'refund.requested':
    '您已于 {day} 申请退回订单 {orderId}({items}),退货编号 {rmaId}。包裹到达我们的退货中心并检验通过后,退款将退回您的原支付方式。',
  'refund.returned': '订单 {orderId}({items})已经退货,退款将退回您的原支付方式。',
  'refund.noReturn': '您的订单目前都没有进行中的退货,所以还没有退款在路上。',
  'refund.noReturnFor': '订单 {orderId} 目前没有进行中的退货,所以还没有它的退款。',
  'refund.cancelled': '订单 {orderId}({items})已于 {day} 在发货前取消,不会向您收费,所以没有需要等待的退款。',
  'orders.paid': '订单 {orderId} 共计 {total}:{lines}。',
  'warranty.delivered': '订单 {orderId}({items})已于 {day} 送达。',
  'warranty.notDelivered': '订单 {orderId}({items})尚未送达。',
  'broken.returnable': '在 {day} 之前仍可退货:请说“退货 {orderId}”,检验通过后即可退款。',
  'broken.notReturnable': '它的退货期已过,但可能仍在保修范围内。',
  'broken.ticketOffer': '如果您希望我们检查一下:要我为此创建支持工单吗?回复“好的”,我来为您起草。',
  'change.processing':
    '我无法修改订单 {orderId}({items})里的商品,不过它还没有发货:我可以帮您取消它,您再按需要重新下单。请说“取消 {orderId}”。',
  'change.shipped':
    '订单 {orderId}({items})已经发货,无法再修改。收到后您可以退回不需要的商品:请说“退货 {orderId}”。',
  'change.delivered':
    '订单 {orderId}({items})已经送达,无法再修改,不过您可以退回不需要的商品:请说“退货 {orderId}”。',
  'change.closed': '订单 {orderId}{status},没有可以修改的了。',
  'change.stillProcessing':
    '{count, plural, one {{orders}还没有发货,仍可取消。} other {{orders}还没有发货,仍可取消。}}',
  'change.general': '我无法修改订单里的商品。还没有发货的订单可以取消后重新下单;收到后可以退回不需要的商品。',
  'embedded.resume': '接着刚才的问题:{question}',

  'replies.help': [
    '我可以帮您处理订单、支持工单以及有关公司政策的问题。',
    '- **订单**:"查一下订单 ORD-10421"、"显示我的订单"',
    '- **退货**:"退货 ORD-10388"、"我想为 ORD-10388 退款"',
    '- **工单**:"帮我开个工单,商品损坏了"、"TKT-000123 的状态是什么?"',
    '- **知识库**:"退货政策是什么?"、"怎么重置密码?"',
    '输入 **reset** 重新开始。',
  ].join('\n'),
  'replies.reset': '好了:我已清除本次对话。有什么可以帮您?',
  'replies.tooLong': '这条消息太长了(超过 {max} 个字符)。请缩短后再试。',
  'replies.turnFailed': '抱歉,我这边出了点问题。请稍后再试。',
  'replies.unknownTool': '抱歉,这个我做不到:我可以查询订单、创建工单、查看工单状态,并根据公司文档回答问题。',
  'replies.detailsSentPrivately': '我已在我们的 1:1 聊天中把详细信息发给您。',
  'replies.sharedDraftSummary':
    '我已起草了工单:卡片上的详细信息只有您能看到。请在那里查看,然后点击"确认"提交。',
  'replies.streamNoAnswer': '抱歉,我没能整理出答案。请重试或换一种问法。',

  'actions.orderNotFound': '在您的账户中找不到订单 {orderId}。',
  'actions.ticketNotFound': '在您的账户中找不到工单 {ticketId}。',
  'actions.ordersUnavailable': '订单系统暂时无法访问。请过几分钟再试。',
  'actions.ticketsUnavailable': '工单系统暂时无法访问。请过几分钟再试。',
  'actions.identityRequired':
    '我无法确认您在这里的身份(没有工作账户),所以无法显示或更改订单、工单或草稿。请使用工作账户登录后再问我。',

  'returns.askOrderId': '您要退哪个订单?订单号的格式类似 ORD-10421。',
  'returns.askReason': '您为什么要退回订单 {orderId}?简单说几句就行,例如"到货时已损坏"或"尺寸不合适"。',

  'orderStatus.processing': '处理中',
  'orderStatus.shipped': '已发货',
  'orderStatus.out_for_delivery': '派送中',
  'orderStatus.delivered': '已送达',
  'orderStatus.cancelled': '已取消',
  'orderStatus.return_requested': '已申请退货',
  'orderStatus.returned': '已退货',

  'orderCard.title': '订单 {orderId}',
  'orderCard.ordered': '下单日期',
  'orderCard.shipped': '发货日期',
  'orderCard.delivered': '送达日期',
  'orderCard.estimatedDelivery': '预计送达',
  'orderCard.carrier': '承运商',
  'orderCard.total': '合计:{amount}',
  'orderCard.track': '在 {carrier} 查看物流',
  'orderCard.trackFallback': '承运商',
  'orderCard.openTicket': '就此订单创建工单',
  'orderList.title': '您的订单',
  'orderList.empty': '您还没有订单。',
  'orderList.show': '查看订单',
  'orderList.row': '{date} 下单 · {count, plural, other {# 件商品}}',
  'orderList.subtitle': '{count, plural, other {# 个订单}},最新的在前',
  'ticketList.title': '您的工单',
  'ticketList.queueTitle': '待处理的工单',
  'ticketList.subtitle': '{count, plural, other {# 个工单}},最新的在前',
  'ticketList.empty': '您还没有工单。告诉我遇到了什么问题,我来为您起草一个。',
  'ticketList.queueEmpty': '支持队列是空的:没有待处理的工单。',
  'ticketList.queueOnlyAgents': '只有客服人员可以查看整个队列。以下是您自己的工单。',
  'ticketList.show': '查看工单',
  'ticketList.row': '{date} 创建 · {priority}',
  'ticketList.queueRow': '{date} 创建 · {priority} · {requester}',

  'ticketStatus.draft': '草稿——尚未提交',
  'ticketStatus.cancelled': '已取消',
  'ticketStatus.open': '待处理',
  'ticketStatus.in_progress': '处理中',
  'ticketStatus.resolved': '已解决',
  'ticketStatus.closed': '已关闭',
  'ticketCategory.billing': '账单',
  'ticketCategory.technical': '技术',
  'ticketCategory.delivery': '配送',
  'ticketCategory.account': '账户',
  'ticketCategory.other': '其他',
  'ticketCategory.order': '订单',
  'ticketCategory.hr': '人事',
  'ticketCategory.handoff': '转人工',
  'ticketCategory.return': '退货',
  'ticketPriority.low': '低',
  'ticketPriority.normal': '普通',
  'ticketPriority.high': '高',
  'ticketPriority.urgent': '紧急',
  'ticketCard.category': '类别',
  'ticketCard.priority': '优先级',
  'ticketCard.order': '订单',
  'ticketCard.requestedBy': '提交人',
  'ticketCard.reviewTitle': '请核对您的工单',
  'ticketCard.reviewSubtitle': '在您确认之前,不会提交任何内容。',
  'ticketCard.choosePriority': '请选择优先级。',
  'ticketCard.confirm': '确认',
  'ticketCard.cancel': '取消',
  'ticketCard.createdTitle': '工单 {ticketId} 已创建',
  'ticketCard.createdSubtitle': '我们的支持团队会尽快回复您。',
  'ticketCard.created': '创建日期',
  'ticketCard.cancelledTitle': '工单草稿已取消',
  'ticketCard.notFiled': '"{title}"未提交。',
  'ticketCard.statusTitle': '工单 {ticketId}',
  'ticketUpdate.updatedTitle': '工单 {ticketId} 已更新',
  'ticketUpdate.noteTitle': '工单 {ticketId} 有新备注',
  'ticketUpdate.updated': '更新时间',
  'ticketUpdate.summary': '工单 {ticketId} 有更新',
  'ticketUpdate.sharedLine': '工单 {ticketId} 有更新。请在 1:1 聊天中问我查看详细信息。',
  'ticketCard.draftId': '(草稿)',
  'ticketCard.lastUpdate': '最近更新',
  'ticketCard.latestNote': '最新备注:{comment}',
  'ticketCard.earlierNote': '较早备注({day}):{comment}',
  'ticketCard.assignee': '处理人',
  'ticketCard.nobody': '尚未分配',
  'ticketCard.assignToMe': '分配给我',
  'ticketCard.takeOver': '改由我处理',
  'ticketCard.unassign': '取消分配',
  'assign.forbidden': '只有客服人员可以分配工单。',
  'assign.noMention':
    '{ticketId} 要分配给谁?请在同一条消息中 @提及 那位客服人员,例如"把 {ticketId} 分配给 @Dana",或者说"把 {ticketId} 分配给我"。',
  'assign.manyMentions': '请只 @提及 一位客服人员来接手 {ticketId}。',
  'assign.unresolved':
    '我无法从提及中确认 {name} 是谁,所以 {ticketId} 保持不变。请从 @提及 列表中选择此人后再试。',
  'assign.notAgent': '{name} 不是客服人员,所以我不能把 {ticketId} 分配给此人。',
  'assign.closed': '{ticketId} 已关闭;已关闭的工单不再分配。',
  'assign.conflict': '{ticketId} 在此期间已分配给 {name},所以没有做任何更改。',
  'assign.conflictUnassigned': '{ticketId} 在此期间已取消分配,所以没有做任何更改。',
  'assign.toYou': '{ticketId} 现已分配给您。',
  'assign.toOther': '{ticketId} 现已分配给 {name}。',
  'assign.alreadyYou': '{ticketId} 已经分配给您了。',
  'assign.alreadyOther': '{ticketId} 已经分配给 {name}。',
  'assign.unassigned': '{ticketId} 已取消分配,回到队列中。',
  'assign.alreadyUnassigned': '{ticketId} 目前没有分配给任何人。',
  'assign.requesterTold': '我已通知提交人。',
  'notes.added': '我已把您的备注加到工单 {ticketId},状态仍为“{status}”。',
  'notes.unchanged': '工单 {ticketId} 已有这条备注,没有任何更改。',
  'notes.closed': '工单 {ticketId} 已关闭,不能再添加备注。如果问题仍未解决,请新开一个工单。',
  'assign.anotherAgent': '另一位客服',
  'assign.you': '您',
  'assign.askTicketId': '哪个工单?例如说"把 TKT-000123 分配给我"。',
  'ticketList.assignedTitle': '分配给您的工单',
  'ticketList.assignedEmpty': '目前没有分配给您的待处理工单。说"未分配的工单"可以找一个来接手。',
  'ticketList.unassignedTitle': '未分配的工单',
  'ticketList.unassignedEmpty': '每个待处理的工单都已有处理人。',
  'ticketList.assigneeRow': '{date} 创建 · {priority} · {requester} · {assignee}',
  'ticketList.take': '分配给我',
  'ticketUpdate.assignedTitle': '工单 {ticketId} 正在处理中',
  'ticketUpdate.assignedTo': '客服团队的 {name} 正在处理此工单。',
  'ticketUpdate.assignedToTeam': '一位客服人员正在处理此工单。',
  'assignedNotice.title': '{ticketId} 已分配给您',
  'assignedNotice.by': '由 {name} 分配。',
  'assignedNotice.summary': '工单 {ticketId} 已分配给您',

  'cancelCard.order': '订单',
  'cancelCard.ordered': '下单日期',
  'cancelCard.items': '商品',
  'cancelCard.total': '合计',
  'cancelCard.reason': '原因',
  'cancelCard.title': '取消订单 {orderId}?',
  'cancelCard.nothingChanges': '在您确认之前,不会有任何更改。',
  'cancelCard.confirm': '确认取消',
  'cancelCard.keep': '保留订单',
  'cancelCard.cancelledTitle': '订单 {orderId} 已取消',
  'cancelCard.notCharged': '您不会为此付费。',
  'cancelCard.cancelled': '已取消',
  'cancelCard.cancelledOn': '取消日期',
  'cancelCard.keptTitle': '订单 {orderId} 已保留',
  'cancelCard.nothingCancelled': '没有取消任何内容。',
  'returnCard.title': '退回订单 {orderId} 中的商品?',
  'returnCard.delivered': '送达日期',
  'returnCard.returnBy': '退货截止',
  'returnCard.notReturnable': '不可退货',
  'returnCard.refund': '退款',
  'returnCard.refundValue': '{amount} 退回原支付方式',
  'returnCard.confirm': '确认退货',
  'returnCard.keep': '保留商品',
  'returnCard.requestedTitle': '退货 {rmaId} 已申请',
  'returnCard.requested': '已申请退货',
  'returnCard.rma': '退货单号(RMA)',
  'returnCard.ticket': '工单',
  'returnCard.requestedOn': '申请日期',
  'returnCard.nextSteps': '支持团队会就寄回商品与您联系。请在包裹上注明 RMA 编号。',
  'returnCard.keptTitle': '订单 {orderId}:不退货',
  'returnCard.nothingReturned': '没有退回任何商品。',

  'errorCard.title': '操作未成功',
  'errorCard.done': '完成',
  'welcome.title': '您好,我是 Service Bot',
  'welcome.intro': '我可以查询订单、创建和跟踪支持工单,并根据公司知识库回答问题,附上可供核实的来源。',
  'welcome.askInChannel': '请 @Service Bot 并提问,例如:',
  'welcome.ask': '直接提问即可,例如:',
  'welcome.orders': '订单',
  'welcome.tickets': '工单',
  'welcome.knowledge': '知识库',
  'welcome.commands': '命令',
  'welcome.commandsValue': '"help" 再次显示本说明 · "reset" 重新开始对话',

  'delivery.pick':
    '{count, plural, =1 {很抱歉您的包裹还没到。是这个订单吗?请在卡片上选择它(或告诉我订单号),我会起草一个配送工单。} other {很抱歉您的包裹还没到。是哪个订单?请在卡片上选择(或告诉我订单号),我会起草一个配送工单。}}',

  'handoff.opened': '我已创建工单 {ticketId},将由我们支持团队的工作人员接手。',
  'handoff.alreadyOpen': '您请求人工接手的工单 {ticketId} 仍在处理中,所以我没有再创建新的工单。',
  'handoff.notified': '已在 Teams 中通知支持团队。',
  'handoff.notConfigured':
    'Teams 中还没有设置支持频道,所以暂时没有即时通知任何人:支持团队会在他们的队列中看到这个工单。',
  'handoff.notifyFailed': '刚才未能在 Teams 中通知支持团队:工单已保存,团队会在他们的队列中看到它。',
  'handoff.call': '您也可以拨打 {phone} 联系我们。',
  'handoff.callHours': '您也可以拨打 {phone} 联系我们({hours})。',
  'handoff.email': '邮箱:{email}。',
  'handoff.source': '(来自"{title}"。)',
  'handoff.contactUnknown': '刚才未能在知识库中查到我们的电话号码和营业时间。',
  'handoff.unavailable': '现在无法为您转接人工。请过几分钟再试。',

  'handoffCard.ticket': '工单',
  'handoffCard.phone': '电话',
  'handoffCard.hours': '电话支持时间',
  'handoffCard.email': '邮箱',
  'handoffCard.source': '来源:{title}',

  'delivery.none': '您目前没有正在运送中的订单(已发货或派送中)。我仍然可以为您创建配送工单,或为您转接人工。',
  'delivery.notShipped': '订单 {orderId} 尚未发货,所以不可能丢失:它仍在处理中。',
  'delivery.drafted': '我已为订单 {orderId} 起草了一个配送工单。请在卡片上核对,然后点击"确认"提交。',

  'cancel.alreadyCancelled': '订单 {orderId} 已经取消了。',
  'cancel.notCancellable':
    '订单 {orderId}{status, select, delivered {已经送达} returned {已经退货} return_requested {正在退货({rmaId})} out_for_delivery {已在派送中} other {已经发货}},无法再取消——只有处理中的订单可以取消。{offer, select, now {您可以改为申请退货:请说"我要退货 {orderId}"。} later {到货后您可以申请退货:请说"我要退货 {orderId}"。} other {}}',
  'shared.detailsKept': '我没有把详细信息发在这个共享聊天里;请在 1:1 聊天中问我,查看完整卡片。',
  'shared.restricted':
    '这个问题我可以在私聊中回答:答案来自这里并非每个人都能查看的文档。请在 1:1 聊天中问我,我会在那里回答。',
  'shared.resetMember': '好了:我已清除您和我在这里进行中的内容;其他成员的请求不受影响。还有什么可以帮您?',
  'shared.cancelIn1to1': '要取消 {orderId},请在 1:1 聊天中问我。',
  'cancel.confirm': '请在卡片上确认您要取消订单 {orderId}。在您确认之前,不会有任何更改。',

  'returns.confirm': '请核对商品,并在卡片上确认退回订单 {orderId}。在您确认之前,不会有任何更改。',
  'returns.policy': '未使用的商品可在送达后 {windowDays} 天内退货;退款将退回原支付方式。',
  'returns.alreadyRequested': '订单 {orderId} 已经申请过退货:{rmaId}。支持团队会就此与您联系。',
  'returns.notShippedYet':
    '订单 {orderId} 尚未发货,所以没有可退的商品。您可以改为取消它:请说"取消订单 {orderId}"。',
  'returns.notDeliveredYet': '订单 {orderId} 尚未送达,所以还不能退货。送达后,请说"退货 {orderId}"。',
  'returns.alreadyReturned': '订单 {orderId} 已经退货了。',
  'returns.cancelled': '订单 {orderId} 已取消,所以没有可退的商品。',

  'replies.unsupportedAttachment': '我暂时还无法读取附件,所以忽略了这个文件。请直接粘贴文字内容。',
  'replies.storageUnavailable': '抱歉,我现在无法访问会话存储。请过一分钟再试。',
  'replies.answeredPrivately': '这个答案来自并非所有人都能查看的文档,所以我已在我们的 1:1 聊天中发给您。',
  'replies.alreadyHandled': '这个请求我已经处理过了;没有重复办理。',
  'replies.alreadyHandledTitle': '已完成',
  'replies.rateLimited': '您发送消息的速度超过了我的回复速度。请等几秒钟再试。',
  'replies.streamSearching': '正在搜索知识库…',

  'cards.invalid': '这张卡片已失效。',
  'cards.failed': '抱歉,我这边出了点问题。请重试。',
  'cards.notAllowedTickets': '您没有提交工单的权限。',
  'cards.notAllowedAssign': '只有客服人员可以分配工单;没有做任何更改。',
  'tickets.invalidPriority': '这个优先级无效。',
  'tickets.draftCancelled': '这个工单草稿已取消。',
  'tickets.draftGone': '这个工单草稿已不存在。',
  'tickets.noDraftToAddTo': '这个聊天里没有您的工单草稿可以补充。请描述问题，我来为您起草一个。',
  'tickets.alreadyCreated': '工单 {ticketId} 已经创建过了。',
  'tickets.cardInvalid': '这张卡片已失效。请让我重新起草工单。',
  'tickets.draftNotFound': '找不到这个工单草稿:它可能已过期,或者只有起草人本人才能确认或取消它。',
  'cancel.notRequester': '只有申请取消的本人才能确认。',
  'cancel.forbidden': '您没有取消订单的权限。',

  'me.noIdentity': '我无法确认您在这里的身份(没有工作账户),所以无法搜索您的订单。',
  'me.noOrders': '您的订单中没有与"{query}"匹配的。',
  'me.typeAQuestion': '请输入要查找的内容,例如"退货政策"。',
  'me.noKnowledge': '知识库中没有与"{query}"匹配的内容。',
  'me.sharedNote':
    '这里只提供所有人可见的文档,因为您插入的内容会被本会话中的所有人看到。其他文档请在与 Service Bot 的 1:1 聊天中搜索。',
  'me.itemRefused': '这一项已无法插入。请重新搜索。',
  'me.knowledgeUnavailable': '知识库暂时无法访问。请过几分钟再试。',
  'me.sharedDetails': '详细信息请在与 Service Bot 的 1:1 聊天中询问。',
  'me.orderPreview': '{status} · {count, plural, other {# 件商品}}',
  'me.orderRecord': '订单 {id}',
  'me.ticketRecord': '工单 {id}',
  'me.source': '来源',
  'me.file': '文件',
  'me.openSource': '打开来源',
  'me.page': '第 {page} 页',

  'handoff.offer': '很抱歉没能帮上忙。您想和工作人员沟通吗?我可以创建一个工单,把这次对话转给我们的支持团队。',
  'handoff.offerButton': '转人工',
  'handoff.offerSuggestion': '转人工',
  'delivery.notApplicable': '订单 {orderId} 的状态是"{status}",所以没有可以报告的配送问题。',
  'delivery.sharedNote': '要报告包裹丢失,请在 1:1 聊天中问我:我不会在共享聊天中列出您的订单。',
  'delivery.pickButton': '是 {orderId}',
  'delivery.anywayButton': '仍然创建配送工单',
  'delivery.items': '商品',

  'returns.outsideWindow':
    '订单 {orderId} 已送达超过 {windowDays} 天,已超出退货期限。如果商品有故障,请创建工单,我们会按保修为您处理。',
  'returns.outsideMemberWindow':
    '订单 {orderId} 已送达超过 {windowDays} 天,即使按 {programme} 的退货期限也已超出。如果商品有故障,请创建工单,我们会按保修为您处理。',
  'returns.outsideHolidayWindow':
    '订单 {orderId} 是在{season}购买的,可退货截止日期为 {until};该日期已过。如果商品有故障,请创建工单,我们会按保修为您处理。',
  'returns.memberWindow': '作为 {programme} 会员,您可以在送达后 {windowDays} 天内退货。',
  'returns.holidayWindow': '该订单在{season}购买,可在 {until} 前退货。',
  'returns.notReturnable': '订单 {orderId} 中的{names}不能退货:退货政策不接受{labels}。',
  'returns.excluded': '不包括:{lines}。',
  'returns.excludedLine': '{name}({label}不能退货)',
  'returns.unknownItem':
    '订单 {orderId} 中没有与"{item}"匹配的商品。请按订单上的名称说明商品,或者不指定商品以退回全部。',
  'returns.tooMany': '订单 {orderId} 中只有 {quantity} × {name}。',
  'returns.sharedChat': '要退回 {orderId},请在 1:1 聊天中问我。',
  'returns.notRequester': '只有申请退货的本人才能确认。',
  'returns.forbidden': '您没有申请退货的权限。',
  'returns.askReasonAndItems':
    '您为什么要退回订单 {orderId}?简单说几句就行,例如"到货时已损坏"或"尺寸不合适"。这个订单有多件商品:{names}。如果只退其中几件,请在回答中说明,例如"{first}到货时已损坏";否则将全部退回。',

  'llm.answerLanguage':
    '请用简体中文回答(用户用中文提问)。订单号、工单号和产品名称保持原样。如果引用的来源只有英文版本,请说明答案来自英文文档。',
};

export const catalogue = { en, 'zh-CN': zhCN } as const;
