/* For tools/windows-check only, never shipped: holds the file argv[1] open as Excel holds
 * the workbook it shows (reading, others may read but not write or delete), says "held" on
 * stdout, and lets go after argv[2] seconds. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

int wmain(int argc, wchar_t **argv)
{
    if (argc != 3)
        return 2;
    HANDLE h = CreateFileW(argv[1], GENERIC_READ, FILE_SHARE_READ, NULL, OPEN_EXISTING,
                           FILE_ATTRIBUTE_NORMAL, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return 1;
    printf("held\n");
    fflush(stdout);
    Sleep(1000 * (DWORD)_wtoi(argv[2]));
    CloseHandle(h);
    return 0;
}
