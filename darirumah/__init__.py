"""DariRumah: work-from-home and flexible work for Indonesian civil servants."""
