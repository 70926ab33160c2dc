"""SingularityNET HTTP services behind snet-daemon: the contract is generated from the service's .proto."""
