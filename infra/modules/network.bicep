// Private networking (privateNetworking = true): a VNet with a subnet for the app's outbound traffic
// (App Service VNet integration, or the Container Apps environment), a subnet for private endpoints,
// and the private DNS zones that resolve Cosmos DB, AI Search and Azure OpenAI to those endpoints.
param name string
param location string
param tags object

@description('Address space of the VNet; the three subnets are carved from its first /22.')
param addressPrefix string = '10.40.0.0/16'

// Order matters: the outputs below pick the zones by index.
var privateDnsZoneNames = [
  'privatelink.documents.azure.com' // Cosmos DB for NoSQL
  'privatelink.search.windows.net' // Azure AI Search
  'privatelink.openai.azure.com' // Azure OpenAI
]

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [addressPrefix]
    }
    subnets: [
      {
        // App Service regional VNet integration (outbound from the web app).
        name: 'app-service'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 0)
          delegations: [{ name: 'web', properties: { serviceName: 'Microsoft.Web/serverFarms' } }]
        }
      }
      {
        // Container Apps environment (workload profiles: a delegated /27 or larger).
        name: 'container-apps'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 1)
          delegations: [{ name: 'containerapps', properties: { serviceName: 'Microsoft.App/environments' } }]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 2)
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for zone in privateDnsZoneNames: {
    name: zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (zone, i) in privateDnsZoneNames: {
    parent: zones[i]
    name: '${name}-link'
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: vnet.id
      }
    }
  }
]

output appServiceSubnetId string = vnet.properties.subnets[0].id
output containerAppsSubnetId string = vnet.properties.subnets[1].id
output privateEndpointSubnetId string = vnet.properties.subnets[2].id
output cosmosDnsZoneId string = zones[0].id
output searchDnsZoneId string = zones[1].id
output openAiDnsZoneId string = zones[2].id
