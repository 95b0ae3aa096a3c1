"""The exchange workbook (the hub sync protocol). Built by the hub-exchange issue."""
