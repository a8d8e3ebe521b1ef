package org.mboxos.api;

/** One row of the process table: what it runs, who started it, and what it is blocked in. */
public record ProcInfo(long pid, String program, long parent, String state, String blockedIn) {}
