// `Quantity` lives in RoperatorClient (the runtime's child diff and the embedded API server
// compare quantities too); the models re-export it, so `import RoperatorModels` (or one group's
// module) is all a user needs to write `Quantity("500m")`.
@_exported public import struct RoperatorClient.Quantity
@_exported public import struct RoperatorClient.QuantityError
