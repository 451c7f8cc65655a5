@_exported public import Roperator
@_exported public import RoperatorAPIServer
