# The chassis daemon.

bin_PROGRAMS += controller/ovn-controller

controller_ovn_controller_SOURCES = \
	controller/ovn-controller.c
controller_ovn_controller_LDADD = lib/libovnmc.la $(OVS_LIBS)
