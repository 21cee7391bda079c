// One private endpoint for a service (Cosmos DB, AI Search or Azure OpenAI) in the private-endpoints
// subnet, registered in the service's private DNS zone. Deployed only when privateNetworking is on.
param name string
param location string
param tags object

@description('Resource id of the service the endpoint connects to.')
param serviceResourceId string

@description('Sub-resource: Sql (Cosmos DB for NoSQL), searchService, account (Azure OpenAI).')
@allowed(['Sql', 'searchService', 'account'])
param groupId string

param subnetId string
param privateDnsZoneId string

resource endpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: name
        properties: {
          privateLinkServiceId: serviceResourceId
          groupIds: [groupId]
        }
      }
    ]
  }
}

resource dnsZoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: 'zone'
        properties: {
          privateDnsZoneId: privateDnsZoneId
        }
      }
    ]
  }
}

output id string = endpoint.id
