@_exported public import RoperatorClient
