// kernel-thread-unwinder.ts - the GDB Python that lets GDB unwind a switched-out kernel thread. Loaded once per
// GDB by kernel-threads.ts (as one `python exec(...)` console command, no file). Two jobs:
//  - table(): prints the kernel's live threads as JSON, read from `threads_by_slot` (kernel/core/thread.c):
//    id, core, name, state (enum toro_thread_state) and `context`, the address of the registers saved by
//    context_switch (struct context in kernel/core/thread.h: r15 r14 r13 r12 rbx rbp, return address).
//  - show(gdb_thread, context): a read-only unwinder that claims the first real frame of that vCPU (below
//    any inline frames) and gives, as its caller, the thread's saved registers: rip = the return address,
//    rsp = just above it, rbp, rbx, r12-r15 as saved. GDB's own DWARF unwinder then walks the thread's stack
//    from there, so its frames have functions, source lines, inline frames and locals where the callee-saved
//    registers or the stack hold them (caller-saved registers are not saved by a switch: values kept only
//    there show as the vCPU's). Nothing is written to the guest. The view ends at hide() and whenever the
//    target resumes (gdb.events.cont), so run control never unwinds through it.
// Invariant: struct context's layout is SAVED below, lowest address first; switch.S pushes in that order.

export const KERNEL_THREAD_UNWINDER_PYTHON = String.raw`
import json
import gdb
from gdb.unwinder import Unwinder, register_unwinder


class _FrameId:
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


class ToroKernelThreads(Unwinder):
    """Shows a switched-out kernel thread as the caller of one vCPU's real frames."""

    # struct context (kernel/core/thread.h), lowest address first; rsp after its ret is context + 56.
    SAVED = ("r15", "r14", "r13", "r12", "rbx", "rbp", "rip")

    def __init__(self):
        super().__init__("toro-kernel-threads")
        self.view = None
        gdb.events.cont.connect(lambda event: self.hide())

    def __call__(self, pending):
        view = self.view
        if view is None or pending.level() != view["level"]:
            return None
        thread = gdb.selected_thread()
        if thread is None or thread.global_num != view["gdb_thread"]:
            return None
        word = gdb.lookup_type("unsigned long")
        frame_id = _FrameId(gdb.Value(view["context"]).cast(word), pending.read_register("rip"))
        info = pending.create_unwind_info(frame_id)
        for name, value in view["registers"].items():
            info.add_saved_register(name, gdb.Value(value).cast(word))
        return info

    def table(self):
        threads = []
        symbol = gdb.lookup_static_symbol("threads_by_slot")
        if symbol is None:
            raise gdb.GdbError("no threads_by_slot in this program: not a Toro kernel")
        slots = symbol.value()
        low, high = slots.type.range()
        for slot in range(low, high + 1):
            pointer = slots[slot]
            if int(pointer) == 0:
                continue
            thread = pointer.dereference()
            threads.append({
                "id": int(thread["id"]),
                "core": int(thread["core"]),
                "name": thread["name"].string(length=-1).split("\0")[0],
                "state": int(thread["state"]),
                "context": int(thread["context"]),
            })
        print(json.dumps({"threads": threads}))

    def show(self, gdb_thread, context):
        self.hide()
        memory = gdb.selected_inferior().read_memory(context, 8 * len(self.SAVED))
        words = [int.from_bytes(bytes(memory[i * 8:(i + 1) * 8]), "little") for i in range(len(self.SAVED))]
        registers = dict(zip(self.SAVED, words))
        registers["rsp"] = context + 8 * len(self.SAVED)
        selected = gdb.selected_thread()
        target = next(t for t in gdb.selected_inferior().threads() if t.global_num == gdb_thread)
        target.switch()
        try:
            frame = gdb.newest_frame()
            level = 0
            while frame is not None and frame.type() == gdb.INLINE_FRAME:
                frame = frame.older()
                level += 1
        finally:
            if selected is not None:
                selected.switch()
        self.view = {"gdb_thread": gdb_thread, "context": context, "registers": registers, "level": level}
        gdb.invalidate_cached_frames()
        print(json.dumps({"firstLevel": level + 1}))

    def hide(self):
        if self.view is not None:
            self.view = None
            gdb.invalidate_cached_frames()


toro_kernel_threads = ToroKernelThreads()
register_unwinder(None, toro_kernel_threads, replace=True)
`;

/** The console command that defines `toro_kernel_threads` in GDB's Python (single line: hex, no quoting). */
export function installUnwinderCommand(): string {
  return `python exec(bytes.fromhex("${Buffer.from(KERNEL_THREAD_UNWINDER_PYTHON, "utf8").toString("hex")}").decode())`;
}
