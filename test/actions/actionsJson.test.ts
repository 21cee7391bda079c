import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseToolArgs, TOOL_NAMES } from '../../src/actions/schemas';
import { buildToolDefinitions, renderActionsJson } from '../../src/actions/toolDefinitions';

const ACTIONS_JSON = path.resolve(__dirname, '../../src/prompts/chat/actions.json');

describe('tool definitions (src/prompts/chat/actions.json)', () => {
  it('the committed file equals the one generated from the zod schemas (run `npm run actions:generate`)', () => {
    // Compared as data: the committed file is additionally prettier-formatted by the generator.
    expect(JSON.parse(readFileSync(ACTIONS_JSON, 'utf8'))).toEqual(JSON.parse(renderActionsJson()));
  });

  it('defines every tool once, with a description and an object schema that forbids extra arguments', () => {
    const defs = buildToolDefinitions();
    expect(defs.map((d) => d.name)).toEqual(TOOL_NAMES);
    for (const def of defs) {
      expect(def.description.length).toBeGreaterThan(20);
      expect(def.parameters).toMatchObject({ type: 'object', additionalProperties: false });
    }
    const createTicket = defs.find((d) => d.name === 'create_ticket')!;
    expect(createTicket.parameters.required).toEqual(['title', 'description', 'category', 'priority']);
  });
});

describe('parseToolArgs', () => {
  it('accepts valid arguments as an object or a JSON string, normalising ids', () => {
    expect(parseToolArgs('get_order_status', { orderId: ' ord-10421 ' })).toEqual({
      ok: true,
      value: { orderId: 'ORD-10421' },
    });
    expect(parseToolArgs('get_order_status', '{"orderId":"ORD-10421"}')).toEqual({
      ok: true,
      value: { orderId: 'ORD-10421' },
    });
    expect(parseToolArgs('list_my_orders', undefined)).toEqual({ ok: true, value: {} });
    expect(parseToolArgs('list_my_orders', '')).toEqual({ ok: true, value: {} });
  });

  it('returns one readable error line for the model instead of throwing', () => {
    expect(parseToolArgs('get_order_status', { orderId: '12345' })).toEqual({
      ok: false,
      error: 'Invalid arguments: orderId must look like ORD-12345',
    });
    expect(parseToolArgs('get_order_status', {})).toEqual({
      ok: false,
      error: 'Invalid arguments: orderId is required',
    });
    expect(parseToolArgs('get_order_status', { orderId: 42 })).toEqual({
      ok: false,
      error: 'Invalid arguments: orderId must be a string',
    });
    expect(parseToolArgs('get_order_status', '{oops')).toEqual({
      ok: false,
      error: 'Invalid arguments: not valid JSON',
    });
    expect(parseToolArgs('get_order_status', [1])).toEqual({
      ok: false,
      error: 'Invalid arguments: arguments must be a JSON object',
    });
    expect(parseToolArgs('list_my_orders', { userId: 'someone-else' })).toEqual({
      ok: false,
      error: 'Invalid arguments: unexpected argument(s) userId',
    });
    const ticket = parseToolArgs('create_ticket', {
      title: 'x',
      description: 'd',
      category: 'weather',
      priority: 'asap',
    });
    expect(ticket).toEqual({
      ok: false,
      error:
        'Invalid arguments: title must be at least 3 characters; category must be one of order, delivery, billing, technical, account, hr, return, other; priority must be one of low, normal, high, urgent',
    });
    expect(parseToolArgs('get_ticket_status', { ticketId: 'TKT-1' })).toEqual({
      ok: false,
      error: 'Invalid arguments: ticketId must look like TKT-000123',
    });
  });
});
