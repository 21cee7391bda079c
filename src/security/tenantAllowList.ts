/**
 * Tenant allow-list. Teams puts the tenant of a conversation in two places
 * (`conversation.tenantId` and `channelData.tenant.id`); the Bot Framework token itself
 * carries no tenant, so the activity is the only source. When an allow-list is configured we
 * fail closed: an activity with no tenant, or with two different tenants, is refused.
 */

/** The parts of an activity this module reads; any Bot Framework activity fits. */
interface TenantBearingActivity {
  conversation?: { tenantId?: unknown } | null;
  channelData?: unknown;
}

export type TenantVerdict =
  | { allowed: true; tenantId?: string }
  | { allowed: false; tenantId?: string; reason: 'no_tenant' | 'conflicting_tenants' | 'tenant_not_allowed' };

/** Returns the activity's tenant id, `undefined` when absent, or `null` when the two sources disagree. */
export function activityTenantId(activity: TenantBearingActivity): string | undefined | null {
  const fromConversation = nonEmptyString(activity.conversation?.tenantId);
  const channelData = activity.channelData;
  const tenant =
    channelData !== null && typeof channelData === 'object'
      ? (channelData as { tenant?: unknown }).tenant
      : undefined;
  const fromChannelData =
    tenant !== null && typeof tenant === 'object'
      ? nonEmptyString((tenant as { id?: unknown }).id)
      : undefined;
  if (fromConversation && fromChannelData && !sameTenant(fromConversation, fromChannelData)) return null;
  return fromConversation ?? fromChannelData;
}

/** Decides whether an activity may be processed under `allowList` (empty list: every tenant). */
export function checkTenant(activity: TenantBearingActivity, allowList: readonly string[]): TenantVerdict {
  if (allowList.length === 0) return { allowed: true, tenantId: activityTenantId(activity) ?? undefined };
  const tenantId = activityTenantId(activity);
  if (tenantId === null) return { allowed: false, reason: 'conflicting_tenants' };
  if (tenantId === undefined) return { allowed: false, reason: 'no_tenant' };
  if (!allowList.some((allowed) => sameTenant(allowed, tenantId))) {
    return { allowed: false, tenantId, reason: 'tenant_not_allowed' };
  }
  return { allowed: true, tenantId };
}

/** Turn guard for the pipeline: true when the activity's tenant is on the allow-list (or the list is empty). */
export function isTenantAllowed(activity: TenantBearingActivity, allowList: readonly string[]): boolean {
  return checkTenant(activity, allowList).allowed;
}

// Tenant ids are GUIDs; compare case-insensitively so configuration casing does not matter.
function sameTenant(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
