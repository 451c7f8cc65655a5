@testable import RoperatorAPIServer
import Testing

/// Reading the `Accept` header: the headers most clients send take a shortcut that must agree
/// with the general reading.
@Suite struct ResponseFormatTests {
    @Test(arguments: [nil, "", "application/json", "*/*"] as [String?])
    func commonHeadersReadAsTheGeneralReadingDoes(_ accept: String?) {
        #expect(ResponseFormat(accept: accept) == ResponseFormat(parsingList: accept ?? ""))
        #expect(ResponseFormat(accept: accept) == .json)
    }

    @Test func protobufIsPreferredByOrderAndQuality() {
        let protobufFirst = ResponseFormat(accept: "application/vnd.kubernetes.protobuf, application/json")
        #expect(protobufFirst == ResponseFormat(prefersProtobuf: true, acceptsJSON: true))
        let jsonWeightedUp = ResponseFormat(accept: "application/vnd.kubernetes.protobuf;q=0.5, application/json")
        #expect(jsonWeightedUp == ResponseFormat(prefersProtobuf: false, acceptsJSON: true))
        #expect(ResponseFormat(accept: "application/vnd.kubernetes.protobuf") == ResponseFormat(prefersProtobuf: true, acceptsJSON: false))
        // A table request is left to the table code: its media ranges do not count here.
        #expect(ResponseFormat(accept: "application/json;as=Table;v=v1;g=meta.k8s.io") == .json)
    }
}
