"""The live-lab kit every lab shares: the lab registry, the lab frame and header (notices, lesson,
presenter mode, share box), links (one field map per lab), the job slot and the live area."""
