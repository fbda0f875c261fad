/* hap_script.c: the scripted virtual stylus (see hap_script.h). */
#include "hap_script.h"
