#include "../shared/shared.c"
