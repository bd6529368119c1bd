# The chassis daemon.

bin_PROGRAMS += controller/ovn-controller

controller_ovn_controller_SOURCES = \
	controller/ovn-controller.c \
	controller/chassis-config.c \
	controller/chassis-config.h \
	controller/binding.c \
	controller/binding.h \
	controller/ct-zones.c \
	controller/ct-zones.h \
	controller/local-datapaths.c \
	controller/local-datapaths.h
controller_ovn_controller_LDADD = lib/libovnmc.la $(OVS_LIBS)
