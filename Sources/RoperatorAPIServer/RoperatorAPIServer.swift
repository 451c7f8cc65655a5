/// The embedded Kubernetes API server's API uses the client's types (`JSONValue`,
/// `ClientConfiguration`, ...): `import RoperatorAPIServer` brings them along.
@_exported public import RoperatorClient
