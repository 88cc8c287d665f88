#include "../relay/relay.c"
