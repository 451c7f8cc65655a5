/// One member of an object being parsed, held until the object is complete.
struct JSONParserMember {
    var key: String
    var value: JSONValue
}
