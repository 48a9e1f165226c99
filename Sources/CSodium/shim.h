// libsodium through one header, so Swift sees its Ed25519 group and scalar operations.
#include <sodium.h>
