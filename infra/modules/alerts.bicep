// The README's "Alerts worth setting" (Operations) as Azure Monitor alert rules, one per README item
// (the `name` of each rule is the bold name of its README bullet; test/infra/alerts.test.ts checks
// both lists agree). Log search alerts over Application Insights: the bot's pino logs arrive as
// `traces` (message = the log message, fields in customDimensions) and its /metrics as
// `customMetrics` (same names; counters are cumulative, so an increase is max - min per instance).
// Every rule notifies one action group whose e-mail address is a parameter.
param location string
param tags object
param applicationInsightsName string

@description('Host name of the bot (web app or container app) for the /readyz availability test.')
param botHostName string

@description('E-mail address the action group notifies; empty creates the group without a receiver.')
param alertEmail string

@description('Dependency errors per dependency in 5 minutes above which the dependency-errors alert fires (the usual baseline).')
param dependencyErrorThreshold int = 10

@description('Refused ticket events in 5 minutes above which the ticket-event-refused alert fires.')
param ticketEventRefusedThreshold int = 20

@description('Unauthenticated requests in 5 minutes above which the unauthenticated-spike alert fires.')
param unauthenticatedThreshold int = 20

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: 'ag-${applicationInsightsName}'
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'botalerts'
    enabled: true
    emailReceivers: empty(alertEmail)
      ? []
      : [
          {
            name: 'operations'
            emailAddress: alertEmail
            useCommonAlertSchema: true
          }
        ]
  }
}

var readyzTestName = 'bot /readyz'

// /readyz from five regions every 5 minutes (the shortest interval a standard test allows).
resource readyzTest 'Microsoft.Insights/webtests@2022-06-15' = {
  name: 'readyz-${applicationInsightsName}'
  location: location
  // The hidden-link tag ties the test to the Application Insights component.
  tags: union(tags, { 'hidden-link:${applicationInsights.id}': 'Resource' })
  kind: 'standard'
  properties: {
    SyntheticMonitorId: 'readyz-${applicationInsightsName}'
    Name: readyzTestName
    Enabled: true
    Frequency: 300
    Timeout: 30
    Kind: 'standard'
    RetryEnabled: false
    Locations: [
      { Id: 'us-va-ash-azr' }
      { Id: 'us-ca-sjc-azr' }
      { Id: 'emea-nl-ams-azr' }
      { Id: 'emea-gb-db3-azr' }
      { Id: 'apac-sg-sin-azr' }
    ]
    Request: {
      RequestUrl: 'https://${botHostName}/readyz'
      HttpVerb: 'GET'
    }
    ValidationRules: {
      ExpectedHttpStatusCode: 200
      SSLCheck: false
    }
  }
}

// name = the README bullet's bold name; description names the README's signal.
var rules = [
  {
    name: 'circuit-open'
    severity: 1
    frequency: 'PT1M'
    window: 'PT5M'
    description: 'A bot_circuit_state gauge is 1 (open) for more than 2 minutes: a dependency is down (label dependency).'
    query: 'customMetrics | where name == "bot_circuit_state" and timestamp > ago(2m) | extend dependency = tostring(customDimensions.dependency) | summarize state = min(value), points = count() by dependency, cloud_RoleInstance | where state == 1 and points >= 2'
  }
  {
    name: 'readyz-failing'
    severity: 1
    frequency: 'PT5M'
    window: 'PT10M'
    description: '/readyz failing from every test location (Cosmos unreachable: users get the storage apology).'
    query: 'availabilityResults | where name == "${readyzTestName}" and timestamp > ago(6m) | summarize failed = countif(success == 0), total = count() | where total > 0 and failed == total'
  }
  {
    name: 'dependency-errors'
    severity: 2
    frequency: 'PT5M'
    window: 'PT5M'
    description: 'Increase of bot_dependency_errors_total per dependency in 5 minutes above the dependencyErrorThreshold baseline.'
    query: 'customMetrics | where name == "bot_dependency_errors_total" | extend dependency = tostring(customDimensions.dependency) | summarize errors = max(value) - min(value) by dependency, cloud_RoleInstance | summarize errors = sum(errors) by dependency | where errors > ${dependencyErrorThreshold}'
  }
  {
    name: 'slow-turns'
    severity: 2
    frequency: 'PT5M'
    window: 'PT15M'
    description: 'p95 of bot_turn_duration_seconds{outcome="ok"} above 10 s (Teams gives up at 15 s), from the ms of the per-turn "turn" log line.'
    query: 'traces | where message == "turn" and tostring(customDimensions.outcome) == "ok" | summarize p95 = percentile(todouble(customDimensions.ms), 95), turns = count() | where turns >= 5 and p95 > 10000'
  }
  {
    name: 'code-defect'
    severity: 1
    frequency: 'PT5M'
    window: 'PT5M'
    description: '"turn failed" or "unhandled rejection" log lines (code defects, never expected).'
    query: 'traces | where message in ("turn failed", "unhandled rejection") | summarize lines = count() by message'
  }
  {
    name: 'webhook-dead'
    severity: 2
    frequency: 'PT15M'
    window: 'PT15M'
    description: '"ticket webhook delivery failed" with dead: true (a ticket the receiver never got; re-drive it).'
    query: 'traces | where message == "ticket webhook delivery failed" and tostring(customDimensions.dead) == "true" | summarize entries = count()'
  }
  {
    name: 'ticket-update-dead'
    severity: 3
    frequency: 'PT15M'
    window: 'PT15M'
    description: '"ticket update message delivery failed" with dead: true (a requester never told of a ticket update).'
    query: 'traces | where message == "ticket update message delivery failed" and tostring(customDimensions.dead) == "true" | summarize entries = count()'
  }
  {
    name: 'ticket-event-refused'
    severity: 3
    frequency: 'PT5M'
    window: 'PT5M'
    description: '"ticket event refused" spiking (also bot_rejected_requests_total{reason="ticket_event_..."}): probing of POST /api/tickets/events, or the ticket system\'s clock or secret is off.'
    query: 'traces | where message == "ticket event refused" | summarize refused = count() | where refused > ${ticketEventRefusedThreshold}'
  }
  {
    name: 'unauthenticated-spike'
    severity: 3
    frequency: 'PT5M'
    window: 'PT5M'
    description: 'Increase of bot_rejected_requests_total{reason="unauthenticated"} above unauthenticatedThreshold in 5 minutes (someone probing the endpoint).'
    query: 'customMetrics | where name == "bot_rejected_requests_total" and tostring(customDimensions.reason) == "unauthenticated" | summarize rejected = max(value) - min(value) by cloud_RoleInstance | summarize rejected = sum(rejected) | where rejected > ${unauthenticatedThreshold}'
  }
  {
    name: 'memory-growth'
    severity: 3
    frequency: 'PT1H'
    window: 'P1D'
    description: 'process_resident_memory_bytes 50 % above the same hour yesterday without a matching (20 %) rise in "turn" log lines.'
    query: 'let mem = customMetrics | where name == "process_resident_memory_bytes" | summarize now = avgif(value, timestamp > ago(1h)), before = avgif(value, timestamp < ago(23h)) by cloud_RoleInstance | summarize now = sum(now), before = sum(before); let turns = traces | where message == "turn" | summarize now = countif(timestamp > ago(1h)), before = countif(timestamp < ago(23h)); mem | extend k = 1 | join kind=inner (turns | extend k = 1) on k | where before > 0 and now > 1.5 * before and now1 < 1.2 * before1'
  }
]

resource alertRules 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = [
  for rule in rules: {
    name: 'alert-${rule.name}-${applicationInsightsName}'
    location: location
    tags: tags
    kind: 'LogAlert'
    properties: {
      displayName: 'bot ${rule.name}'
      description: rule.description
      severity: rule.severity
      enabled: true
      evaluationFrequency: rule.frequency
      windowSize: rule.window
      scopes: [applicationInsights.id]
      criteria: {
        allOf: [
          {
            query: rule.query
            timeAggregation: 'Count'
            operator: 'GreaterThan'
            threshold: 0
            failingPeriods: {
              numberOfEvaluationPeriods: 1
              minFailingPeriodsToAlert: 1
            }
          }
        ]
      }
      autoMitigate: true
      actions: {
        actionGroups: [actionGroup.id]
      }
    }
  }
]

output actionGroupName string = actionGroup.name
output ruleNames array = [for rule in rules: 'bot ${rule.name}']
