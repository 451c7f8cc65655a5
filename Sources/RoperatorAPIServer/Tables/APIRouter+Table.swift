import RoperatorClient

extension APIRouter {
    /// The Table converter when the request's Accept header asks for a `meta.k8s.io` Table first,
    /// with the CRD's `additionalPrinterColumns` for custom resources.
    ///
    /// - Throws: 400 for an invalid `includeObject`.
    func tableConverter(for request: APIRequest, info: ResourceInfo) throws(APIError) -> TableConverter? {
        guard let format = TableFormat(accept: request.headers.first(name: "accept")) else { return nil }
        var printerColumns: [JSONValue]?
        if info.isCustom,
            let crds = store.registry.lookup(group: "apiextensions.k8s.io", version: "v1", plural: "customresourcedefinitions")
        {
            do throws(APIError) {
                let crd = try store.get(crds, namespace: nil, name: "\(info.plural).\(info.group)")
                let version = crd[path: "spec", "versions"]?.arrayValue?.first { $0["name"]?.stringValue == info.version }
                printerColumns = version?["additionalPrinterColumns"]?.arrayValue
            } catch  where error.code == 404 {
                // Served without a stored CRD (deleted a moment ago): the default columns will do.
            }
        }
        return try TableConverter(format: format, info: info, printerColumns: printerColumns, includeObject: request.query["includeObject"])
    }
}
