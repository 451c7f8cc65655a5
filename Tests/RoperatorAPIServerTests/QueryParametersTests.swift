@testable import RoperatorAPIServer
import Testing

/// The query string as Go's url.ParseQuery reads it.
@Suite struct QueryParametersTests {
    @Test func plainAndEncodedComponentsDecode() throws {
        let query = QueryParameters("fieldManager=my-op&labelSelector=app%20in%20%28a%2Cb%29&q=x+y&watch&limit=5&fieldManager=second")
        #expect(query["fieldManager"] == "my-op")
        #expect(query.all("fieldManager") == ["my-op", "second"])
        #expect(query["labelSelector"] == "app in (a,b)")
        #expect(query["q"] == "x y")
        #expect(query["watch"] == "")
        #expect(try query.integer("limit") == 5)
        #expect(query["absent"] == nil)
        #expect(QueryParameters("%C3%A9=%C3%A9")["é"] == "é")
    }
}
