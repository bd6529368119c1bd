# Operator tools and the sandbox.

EXTRA_DIST += utilities/ovs-cache.sh
