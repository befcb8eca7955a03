"""cybercult."""
