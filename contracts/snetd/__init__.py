"""A model of snet-daemon (`snetd`) in front of an HTTP service: the protos it reads, the requests it
builds, the answers it accepts and what its gRPC caller sees. No harness machinery: the snet suite
(`aicontract.contracts.snet`), the snet stub and `aicontract proto2openapi` share it."""
