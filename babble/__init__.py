"""babble"""
