#include <config.h>
#include "lib/ovn-sb-idl.h"
#include "lib/engine.h"
int main(void);
int
main(void)
{
    return 0;
}
