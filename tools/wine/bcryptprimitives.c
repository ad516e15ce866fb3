/* For tools/windows-check only, never shipped: Rust's standard library takes its random
 * bytes from ProcessPrng in bcryptprimitives.dll (Windows 10 and later have it), which
 * Debian 12's wine 8 lacks. This stand-in, put into the wine prefix's system32, answers
 * with RtlGenRandom (advapi32's SystemFunction036), which wine has. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, n))
            return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
