print("roperator-apiserver: not yet implemented")
