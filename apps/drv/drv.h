/* The crash-prone driver (apps/drv) and its requests. */
#ifndef DRV_H
#define DRV_H
enum { DRV_READ = 1,   /* a1 n -> the n-th reading of its (simulated) device */
       DRV_WILD,       /* a1 an address it was never given: scribbles over itself, then there */
       DRV_LOOP,       /* never returns */
       DRV_FAULT };    /* executes an illegal instruction */
#endif
