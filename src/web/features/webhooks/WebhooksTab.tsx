/** Settings → Webhooks (courier dashboard and client portal): the organization's webhooks and their delivery logs. */
export function WebhooksTab() {
  return null;
}
