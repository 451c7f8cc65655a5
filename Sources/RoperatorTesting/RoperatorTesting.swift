@_exported public import Roperator
